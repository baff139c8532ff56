using EdgeKv.Functions.Alerts;
using EdgeKv.Functions.Hosting;
using EdgeKv.Records.Keys;
using EdgeKv.Records.Tables;
using EdgeKv.Records.Security.Sqlite;
using EdgeKv.Records.Security.Tables;

namespace EdgeKv.Functions.Security;

/// <summary>
/// Registers everything about who may do what: authentication, authorization, role assignments, the audit trail,
/// security views.
/// </summary>
public static class SecurityServices
{
    public static IServiceCollection AddEdgeKvSecurity(this IServiceCollection services, IConfiguration configuration,
        string dataPath)
    {
        services.AddOptions<EdgeKvAuthenticationOptions>().Bind(configuration.GetSection(EdgeKvAuthenticationOptions.SectionName))
            .Validate(o => { o.Validate(); return true; }).ValidateOnStart();
        services.AddSingleton(_ => new SecurityDatabase(Path.Combine(dataPath, "security.db")));
        // security.db stays (stores that have no shared twin yet open it); the shared store, when chosen, holds these.
        bool shared = EdgeKvStoreOptions.From(configuration).IsShared;
        services.AddSingleton(sp => shared
            ? new RoleAssignmentStore(new TableRoleAssignments(sp.GetRequiredService<SharedStoreAccount>()))
            : new RoleAssignmentStore(sp.GetRequiredService<SecurityDatabase>()));
        // The seal key's envelope sits where the key-encryption key's own material does, never in the audit store.
        services.AddSingleton(sp => shared
            ? AuditSealKey.InSharedStore(sp.GetRequiredService<KeyEncryptionKey>(),
                sp.GetRequiredService<SharedStoreAccount>())
            : AuditSealKey.InFile(sp.GetRequiredService<KeyEncryptionKey>(), Path.Combine(dataPath, "audit-seal.key")));
        services.AddSingleton(sp => new AuditTrail(
            shared ? new TableAuditTrail(sp.GetRequiredService<SharedStoreAccount>()) : new SqliteAuditTrail(sp.GetRequiredService<SecurityDatabase>()),
            sp.GetRequiredService<AuditSealKey>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<AuditTrail>>(),
            anchorEarlierRecords: configuration.GetValue("EdgeKv:Audit:AnchorEarlierRecords", false)));
        services.AddHostedService<SecurityAlertImportService>();
        services.AddSingleton<EdgeKvAuthorizer>();
        services.AddSingleton<EntraTokenValidator>();
        services.AddSingleton<PermissionGate>();
        services.AddAuthentication(EdgeKvAuthenticationHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, EdgeKvAuthenticationHandler>(EdgeKvAuthenticationHandler.SchemeName, null);
        return services;
    }
}
