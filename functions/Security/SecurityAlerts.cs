using EdgeKv.Records.Security;
using EdgeKv.Records.Security.Tables;
using EdgeKv.Records.Security.Sqlite;

namespace EdgeKv.Functions.Security;

/// <summary>
/// Security alerts, append-only in security.db or, with several hosts, in the app's storage account
/// (<see cref="TableSecurityAlerts"/>); logged as warnings with event id 7030 for the security team's monitoring.
/// </summary>
public sealed partial class SecurityAlerts
{
    public const string SelfGrantedDataPlane = "SelfGrantedDataPlaneAccess";
    public const string UnexpectedAccessPolicy = "AccessPolicyNotGrantedByEdgeKv";
    private readonly SecurityAlertBackend backend;
    private readonly TimeProvider time;
    private readonly ILogger<SecurityAlerts> logger;

    /// <summary>The embedded store, in security.db.</summary>
    public SecurityAlerts(SecurityDatabase store, TimeProvider time, ILogger<SecurityAlerts> logger)
        : this(new SqliteSecurityAlerts(store), time, logger)
    {
    }

    public SecurityAlerts(SecurityAlertBackend backend, TimeProvider time, ILogger<SecurityAlerts> logger)
    {
        ArgumentNullException.ThrowIfNull(backend);
        this.backend = backend;
        this.time = time;
        this.logger = logger;
    }

    public async Task<SecurityAlert> RaiseAsync(string kind, string? resource, string? principal, string message,
        CancellationToken cancellationToken = default)
    {
        SecurityAlert alert = (await backend.AppendAsync(time.GetUtcNow(), kind, resource, principal, message,
            once: false, cancellationToken))!;
        LogAlert(logger, kind, resource, principal);
        return alert;
    }

    /// <summary>
    /// Raises the alert unless one of the same kind for the same resource and principal exists already (on any host).
    /// </summary>
    public async Task RaiseOnceAsync(string kind, string? resource, string? principal, string message,
        CancellationToken cancellationToken = default)
    {
        if (await backend.AppendAsync(time.GetUtcNow(), kind, resource, principal, message, once: true,
            cancellationToken) is not null) LogAlert(logger, kind, resource, principal);
    }

    public Task<IReadOnlyList<SecurityAlert>> ListAsync(string? resource = null,
        CancellationToken cancellationToken = default) => backend.ListAsync(resource, cancellationToken);

    [LoggerMessage(7030, LogLevel.Warning, "Security alert {Kind} on {Resource} involving {Principal}.")]
    private static partial void LogAlert(ILogger logger, string kind, string? resource, string? principal);
}
