using EdgeKv.Activities;
using EdgeKv.Activities.Activation;
using EdgeKv.Activities.Secrets;
using EdgeKv.Activities.Health;
using EdgeKv.Functions.Activation;
using EdgeKv.Functions.AzureConnection;
using EdgeKv.Functions.DurableHttp;
using EdgeKv.Functions.Health;
using EdgeKv.Functions.Keys;
using EdgeKv.Functions.Triggers.EventGrid;
using EdgeKv.Records.Alerts;
using EdgeKv.Records.Alerts.Tables;
using EdgeKv.Records;
using EdgeKv.Records.Tables;
using EdgeKv.Records.Sweeps;
using EdgeKv.Records.Sweeps.Tables;
using EdgeKv.Records.AccessPolicies;
using EdgeKv.Records.AccessPolicies.Tables;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EdgeKv.Functions.Hosting;

/// <summary>
/// EdgeKv's service registrations, the same under the Functions host (WorkerProgram) and in the local host.
/// </summary>
public static class EdgeKvServices
{
    /// <summary>
    /// EdgeKv's own services: its store of resource records (<c>EdgeKv.db</c> beside the task hub, or the app's storage
    /// account when <c>EdgeKv:Store:Type</c> is <c>AzureStorage</c>), the activation-key signing key, and its Azure
    /// (connected before the durable worker starts, so activities find it; emulator mode needs the local composition's
    /// <see cref="IEmulatedAzure"/>).
    /// </summary>
    public static void AddEdgeKvServices(this IServiceCollection services, IConfiguration configuration,
        string dataPath)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<OrchestrationRules>(); // the instance API's rules, local host routes and functions alike
        services.AddOptions<EdgeKvAzureSettings>().Bind(configuration.GetSection(EdgeKvAzureSettings.SectionName))
            .PostConfigure(s => s.ManagedIdentityClientId ??= configuration["AZURE_CLIENT_ID"]) // the app setting infra/main.bicep sets
            .Validate(s => { s.Validate(); return true; }).ValidateOnStart();
        services.AddOptions<ActivationSettings>().Bind(configuration.GetSection(ActivationSettings.SectionName))
            .Validate(s => { s.Validate(); return true; }).ValidateOnStart();
        services.AddOptions<AuditStorageSettings>().Bind(configuration.GetSection(AuditStorageSettings.SectionName))
            .Validate(s => { s.Validate(); return true; }).ValidateOnStart();
        services.AddOptions<VaultNetworkSettings>().Bind(configuration.GetSection(VaultNetworkSettings.SectionName))
            .Validate(s => { s.Validate(); return true; }).ValidateOnStart();
        services.AddOptions<SecretLifecycleSettings>().Bind(configuration.GetSection(SecretLifecycleSettings.SectionName))
            .Validate(s => { s.Validate(); return true; }).ValidateOnStart();
        services.AddOptions<VaultEventsSettings>().Bind(configuration.GetSection(VaultEventsSettings.SectionName))
            .Validate(s => { s.Validate(); return true; }).ValidateOnStart();
        services.AddOptions<VaultPermissionSettings>().Configure(s =>
            {
                s.Model = configuration[VaultPermissionSettings.Key];
                s.DeviceRoleDefinitionId = configuration[VaultPermissionSettings.DeviceRoleKey];
                s.ServiceRoleDefinitionId = configuration[VaultPermissionSettings.ServiceRoleKey];
            })
            .Validate(s => { s.Validate(); return true; }).ValidateOnStart();
        EdgeKvStoreOptions stores = EdgeKvStoreOptions.From(configuration);
        services.AddSingleton(stores);
        if (stores.IsShared)
        {
            // Several hosts: every store in the app's storage account (opened once, on first use).
            services.AddSingleton(_ => stores.OpenAccount(configuration));
            services.AddSingleton(sp => new ResourceStore(new TableResourceStore(sp.GetRequiredService<SharedStoreAccount>(), sp.GetRequiredService<TimeProvider>())));
        }
        else
        {
            services.AddSingleton(sp => new ResourceStore(new ResourceStoreOptions(Path.Combine(dataPath, "EdgeKv.db")),
                sp.GetRequiredService<TimeProvider>()));
        }

        services.AddSingleton(sp => stores.IsShared
            ? new ActivationKeyCodec(SharedSecretBlob.LoadOrCreate(sp.GetRequiredService<SharedStoreAccount>(),
                "activation-signing.key"), sp.GetRequiredService<TimeProvider>())
            : new ActivationKeyCodec(Path.Combine(dataPath, "activation-signing.key"),
                sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<AzureContextProvider>();
        services.AddEdgeKvKeys(configuration, dataPath);
        AddHealthServices(services, configuration, dataPath);
        services.AddSingleton<AzureStartupService>();
        services.AddHostedService(sp => sp.GetRequiredService<AzureStartupService>());
    }

    /// <summary>
    /// Alerts and the sweep history (same store file), the sweep (timer, starter, shared fleet lists), the Event Grid
    /// function and notifications.
    /// </summary>
    private static void AddHealthServices(IServiceCollection services, IConfiguration configuration, string dataPath)
    {
        services.AddOptions<HealthSettings>().Bind(configuration.GetSection(HealthSettings.SectionName))
            .Validate(s => { s.Validate(); return true; }).ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<EdgeKvStoreOptions>().IsShared
            ? new AlertStore(new TableAlertStore(sp.GetRequiredService<SharedStoreAccount>(),
                sp.GetRequiredService<TimeProvider>()), sp.GetRequiredService<ILogger<AlertStore>>())
            : new AlertStore(new ResourceStoreOptions(Path.Combine(dataPath, "EdgeKv.db")),
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<AlertStore>>()));
        services.AddSingleton(sp =>
        {
            HealthSettings health = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<HealthSettings>>().Value;
            var retention = new SweepRetention(TimeSpan.FromDays(health.SweepHistoryDays),
                health.SweepHistoryMaxEntries);
            return sp.GetRequiredService<EdgeKvStoreOptions>().IsShared
                ? new SweepHistoryStore(new TableSweepHistoryStore(sp.GetRequiredService<SharedStoreAccount>(),
                    retention, sp.GetRequiredService<TimeProvider>()))
                : new SweepHistoryStore(new ResourceStoreOptions(Path.Combine(dataPath, "EdgeKv.db")), retention,
                    sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton<FleetSnapshot>();
        services.AddSingleton(sp => sp.GetRequiredService<EdgeKvStoreOptions>().IsShared
            ? new AcceptedAccessPolicyStore(new TableAcceptedAccessPolicyStore(sp.GetRequiredService<SharedStoreAccount>()))
            : new AcceptedAccessPolicyStore(new ResourceStoreOptions(Path.Combine(dataPath, "EdgeKv.db")),
                sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<AccessPolicyDriftCheck>();
        // The sweep's per-vault checks: it runs every registered one (list-based ones every sweep, reading ones when
        // due).
        services.AddSingleton<RoleAssignmentDriftCheck>();
        services.AddSingleton<SecretExpiryCheck>();
        services.AddSingleton<EdgeKv.Functions.Device.CikRotationScheduler>();
        services.AddSingleton<IVaultHealthCheck>(sp => sp.GetRequiredService<AccessPolicyDriftCheck>());
        services.AddSingleton<IVaultHealthCheck>(sp => sp.GetRequiredService<RoleAssignmentDriftCheck>());
        services.AddSingleton<IVaultHealthCheck, DiagnosticSettingCheck>();
        services.AddSingleton<IVaultHealthCheck, VaultSecretsCheck>();
        services.AddSingleton(sp => new SweepCheckSchedule(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<HealthSettings>>().Value.SweepCheckInterval));
        services.AddSingleton(sp => sp.GetRequiredService<EdgeKvStoreOptions>().IsShared
            ? new SweepCheckStore(new TableSweepCheckStore(sp.GetRequiredService<SharedStoreAccount>()))
            : new SweepCheckStore(new ResourceStoreOptions(Path.Combine(dataPath, "EdgeKv.db")),
                sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new NotificationTarget(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<HealthSettings>>().Value.NotificationWebhookUrl));
        services.AddHttpClient(NotifyActivity.Name);
        services.AddSingleton<HealthSweepStarter>();
        services.AddSingleton<EdgeKv.Functions.Alerts.AlertRaiser>();
        services.AddSingleton<AccessPolicyEvents>();
        services.AddSingleton<SecretExpiryEventsHandler>();
        services.AddSingleton<IEventGridFunction, VaultEventsFunction>();
    }
}
