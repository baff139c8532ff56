using EdgeKv.Activities;
using EdgeKv.Activities.Health;
using EdgeKv.Durable.Hosting;
using EdgeKv.Functions.Activation;
using EdgeKv.Functions.DurableHttp;
using EdgeKv.Functions.Health;
using EdgeKv.Functions.Keys;
using EdgeKv.Functions.Http;
using EdgeKv.Functions.LocalAzure;
using EdgeKv.Functions.Security;
using EdgeKv.Functions.Triggers.EventGrid;
using EdgeKv.Functions.Triggers;
using EdgeKv.FunctionsHost;
using EdgeKv.Orchestrations;
using EdgeKv.Records.Alerts;
using EdgeKv.Records.Alerts.Shared;
using EdgeKv.Records;
using EdgeKv.Records.Shared;
using EdgeKv.Records.Sweeps;
using EdgeKv.Records.Sweeps.Shared;
using EdgeKv.Records.AccessPolicies;
using EdgeKv.Records.AccessPolicies.Shared;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EdgeKv.Functions.Hosting;

/// <summary>
/// Builds EdgeKv's local host: the local Functions host (functionshost/) serving this assembly's [Function] classes, with
/// the routes the Functions host itself provides (Durable instance management, admin keys, health, OpenAPI) beside them.
/// Program.cs (outside Azure) and the tests start it the same way.
/// </summary>
public static class EdgeKvApplication
{
    public const string DefaultUrl = "http://localhost:7071";

    /// <summary>App settings the functions name (<c>%setting%</c>) with their local defaults; in Azure, infra/main.bicep sets them.</summary>
    public static readonly IReadOnlyDictionary<string, string?> AppSettingDefaults = new Dictionary<string, string?>
    {
        [HealthSweepFunction.ScheduleSetting] = HealthSweepFunction.DefaultSchedule,
    };

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = Directory.GetCurrentDirectory() });
        builder.Configuration.AddInMemoryCollection(AppSettingDefaults);
        builder.Configuration.AddFunctionsConfiguration(builder.Environment.ContentRootPath, args);
        if (string.IsNullOrEmpty(builder.Configuration["urls"])) builder.WebHost.UseUrls(DefaultUrl);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));

        EdgeKvHostOptions host = builder.Configuration.GetSection(EdgeKvHostOptions.SectionName).Get<EdgeKvHostOptions>() ?? new EdgeKvHostOptions();
        string dataPath = Path.GetFullPath(host.DataPath, builder.Environment.ContentRootPath);
        RefuseSharedStoresOnAPrivateHub(builder.Configuration);
        AddEdgeKvServices(builder.Services, builder.Configuration, dataPath);
        builder.Services.AddDurableTaskHub(builder.Configuration, dataPath, EdgeKvTasks.Register);
        builder.Services.AddTriggers(dataPath, builder.Configuration);
        builder.Services.AddLocalFunctionsHost(typeof(EdgeKvApplication).Assembly, Path.Combine(dataPath, "timers"));
        if (EdgeKvStoreOptions.From(builder.Configuration).IsShared)
        {
            // Several hosts: timer schedule status in the shared account too (in Azure the Functions host keeps its own).
            builder.Services.Replace(ServiceDescriptor.Singleton(sp => new EdgeKv.FunctionsHost.Timers.ScheduleStatusStore(sp.GetRequiredService<SharedStoreAccount>().Container("timers"))));
        }

        builder.Services.AddEdgeKvTelemetry(builder.Configuration);
        builder.Services.AddEdgeKvSecurity(builder.Configuration, dataPath);
        configure?.Invoke(builder);

        WebApplication app = builder.Build();
        app.UseAzureErrors();
        app.UseEdgeKvSecurity();
        app.MapHttpFunctions();
        app.MapHealthApi();
        app.MapDurableTaskApi();
        app.MapSecurityHostApis();
        app.MapDashboard();
        return app;
    }

    /// <summary>
    /// Hosts that share EdgeKv's stores must share the durable hub too: on a hub of their own each host would run its own
    /// health sweep and its own instance of every fixed-id flow over the same records.
    /// </summary>
    private static void RefuseSharedStoresOnAPrivateHub(IConfiguration configuration)
    {
        string provider = configuration[$"{DurableTaskHubOptions.SectionName}:storageProvider:type"] ?? "sqlite";
        if (EdgeKvStoreOptions.From(configuration).IsShared && !string.Equals(provider, "AzureStorage", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(
                $"{EdgeKvStoreOptions.SectionName}:Type is AzureStorage (stores shared by several hosts) but the durable hub's storage provider is '{provider}'; "
                + "set extensions:durableTask:storageProvider:type (host.json, or AzureFunctionsJobHost__extensions__durableTask__storageProvider__type in Azure) to AzureStorage as well.");
        }
    }

    /// <summary>
    /// EdgeKv's own services: its store of resource records (<c>EdgeKv.db</c> beside the task hub, or the app's storage
    /// account when <c>EdgeKv:Store:Type</c> is <c>AzureStorage</c>), the activation-key
    /// signing key, and its Azure (local mode: the emulator, started before the durable worker so activities find it).
    /// </summary>
    internal static void AddEdgeKvServices(IServiceCollection services, IConfiguration configuration, string dataPath)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(new LocalDataPath(dataPath));
        services.AddSingleton<OrchestrationRules>(); // the instance API's rules, local host routes and functions alike
        services.AddOptions<EdgeKvAzureSettings>().Bind(configuration.GetSection(EdgeKvAzureSettings.SectionName))
            .PostConfigure(s => s.ManagedIdentityClientId ??= configuration["AZURE_CLIENT_ID"]) // the app setting infra/main.bicep sets
            .Validate(s => { s.Validate(); return true; }).ValidateOnStart();
        services.AddOptions<ActivationSettings>().Bind(configuration.GetSection(ActivationSettings.SectionName))
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
            services.AddSingleton(sp => new ResourceStore(new ResourceStoreOptions(Path.Combine(dataPath, "EdgeKv.db")), sp.GetRequiredService<TimeProvider>()));
        }

        services.AddSingleton(sp => stores.IsShared
            ? new ActivationKeyCodec(SharedSecretBlob.LoadOrCreate(sp.GetRequiredService<SharedStoreAccount>(), "activation-signing.key"), sp.GetRequiredService<TimeProvider>())
            : new ActivationKeyCodec(Path.Combine(dataPath, "activation-signing.key"), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<AzureContextProvider>();
        services.AddEdgeKvKeys(configuration, dataPath);
        AddHealthServices(services, configuration, dataPath);
        services.AddSingleton<AzureStartupService>();
        services.AddHostedService(sp => sp.GetRequiredService<AzureStartupService>());
    }

    /// <summary>Alerts and the sweep history (same store file), the sweep (timer, starter, shared fleet lists), the Event Grid function and notifications.</summary>
    private static void AddHealthServices(IServiceCollection services, IConfiguration configuration, string dataPath)
    {
        services.AddOptions<HealthSettings>().Bind(configuration.GetSection(HealthSettings.SectionName))
            .Validate(s => { s.Validate(); return true; }).ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<EdgeKvStoreOptions>().IsShared
            ? new AlertStore(new TableAlertStore(sp.GetRequiredService<SharedStoreAccount>(), sp.GetRequiredService<TimeProvider>()))
            : new AlertStore(new ResourceStoreOptions(Path.Combine(dataPath, "EdgeKv.db")), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp =>
        {
            HealthSettings health = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<HealthSettings>>().Value;
            var retention = new SweepRetention(TimeSpan.FromDays(health.SweepHistoryDays), health.SweepHistoryMaxEntries);
            return sp.GetRequiredService<EdgeKvStoreOptions>().IsShared
                ? new SweepHistoryStore(new TableSweepHistoryStore(sp.GetRequiredService<SharedStoreAccount>(), retention, sp.GetRequiredService<TimeProvider>()))
                : new SweepHistoryStore(new ResourceStoreOptions(Path.Combine(dataPath, "EdgeKv.db")), retention, sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton<FleetSnapshot>();
        services.AddSingleton(sp => sp.GetRequiredService<EdgeKvStoreOptions>().IsShared
            ? new AcceptedAccessPolicyStore(new TableAcceptedAccessPolicyStore(sp.GetRequiredService<SharedStoreAccount>()))
            : new AcceptedAccessPolicyStore(new ResourceStoreOptions(Path.Combine(dataPath, "EdgeKv.db")), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<AccessPolicyDriftCheck>();
        services.AddSingleton(sp => new NotificationTarget(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<HealthSettings>>().Value.NotificationWebhookUrl));
        services.AddHttpClient(NotifyActivity.Name);
        services.AddSingleton<HealthSweepStarter>();
        services.AddSingleton<EdgeKv.Functions.Alerts.AlertRaiser>();
        services.AddSingleton<AccessPolicyEvents>();
        services.AddSingleton<IEventGridFunction, VaultEventsFunction>();
    }
}
