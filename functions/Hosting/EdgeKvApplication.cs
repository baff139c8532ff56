using EdgeKv.Activities.Activation;
using EdgeKv.Activities.Healing;
using EdgeKv.Activities.Health;
using EdgeKv.Activities.Lifecycle;
using EdgeKv.Activities;
using EdgeKv.Durable;
using EdgeKv.Functions.Activation;
using EdgeKv.Functions.Alerts;
using EdgeKv.Functions.Device;
using EdgeKv.Functions.DurableHttp;
using EdgeKv.Functions.Healing;
using EdgeKv.Functions.Health;
using EdgeKv.Functions.Http;
using EdgeKv.Functions.Lifecycle;
using EdgeKv.Functions.LocalAzure;
using EdgeKv.Functions.Resources;
using EdgeKv.Functions.Security;
using EdgeKv.Functions.Triggers.EventGrid;
using EdgeKv.Functions.Triggers.Timers;
using EdgeKv.Functions.Triggers;
using EdgeKv.Orchestrations;
using EdgeKv.Records.Alerts;
using EdgeKv.Records;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EdgeKv.Functions.Hosting;

/// <summary>Builds the EdgeKv host; Program.cs and the tests start it the same way.</summary>
public static class EdgeKvApplication
{
    public const string DefaultUrl = "http://localhost:7071";

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = Directory.GetCurrentDirectory() });
        builder.Configuration.AddFunctionsConfiguration(builder.Environment.ContentRootPath, args);
        if (string.IsNullOrEmpty(builder.Configuration["urls"])) builder.WebHost.UseUrls(DefaultUrl);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));

        EdgeKvHostOptions host = builder.Configuration.GetSection(EdgeKvHostOptions.SectionName).Get<EdgeKvHostOptions>() ?? new EdgeKvHostOptions();
        string dataPath = Path.GetFullPath(host.DataPath, builder.Environment.ContentRootPath);
        AddEdgeKvServices(builder, dataPath);
        builder.Services.AddDurableTask(dataPath, RegisterFunctions);
        builder.Services.AddOptions<DurableTaskOptions>().Bind(builder.Configuration.GetSection(DurableTaskOptions.SectionName)).ValidateOnStart();
        builder.Services.AddTriggers(dataPath, builder.Configuration);
        builder.Services.AddEdgeKvTelemetry(builder.Configuration);
        builder.Services.AddEdgeKvSecurity(builder.Configuration, dataPath);
        configure?.Invoke(builder);

        WebApplication app = builder.Build();
        app.UseAzureErrors();
        app.UseEdgeKvSecurity();
        app.MapHealthApi();
        app.MapDurableTaskApi();
        app.MapEventGridWebhook();
        app.MapResourcesApi();
        app.MapActivationApi();
        app.MapDeviceApi();
        app.MapDeviceSyncApi();
        app.MapAlertsApi();
        app.MapHealingApi();
        app.MapLifecycleApi();
        app.MapSecurityApis();
        app.MapDashboard();
        return app;
    }

    /// <summary>
    /// EdgeKv's own services: its store of resource records (<c>EdgeKv.db</c> beside the task hub), the activation-key
    /// signing key, and its Azure (local mode: the emulator, started before the durable worker so activities find it).
    /// </summary>
    private static void AddEdgeKvServices(WebApplicationBuilder builder, string dataPath)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(new LocalDataPath(dataPath));
        builder.Services.AddOptions<EdgeKvAzureSettings>().Bind(builder.Configuration.GetSection(EdgeKvAzureSettings.SectionName))
            .Validate(s => { s.Validate(); return true; }).ValidateOnStart();
        builder.Services.AddOptions<ActivationSettings>().Bind(builder.Configuration.GetSection(ActivationSettings.SectionName))
            .Validate(s => { s.Validate(); return true; }).ValidateOnStart();
        builder.Services.AddSingleton(sp => new ResourceStore(new ResourceStoreOptions(Path.Combine(dataPath, "EdgeKv.db")), sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton(sp => new ActivationKeyCodec(Path.Combine(dataPath, "activation-signing.key"), sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<AzureContextProvider>();
        AddHealthServices(builder, dataPath);
        builder.Services.AddSingleton<AzureStartupService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AzureStartupService>());
    }

    /// <summary>Alerts (same store file), the sweep (timer, starter, shared fleet lists), the Event Grid function and notifications.</summary>
    private static void AddHealthServices(WebApplicationBuilder builder, string dataPath)
    {
        builder.Services.AddOptions<HealthSettings>().Bind(builder.Configuration.GetSection(HealthSettings.SectionName))
            .Validate(s => { s.Validate(); return true; }).ValidateOnStart();
        builder.Services.AddSingleton(sp => new AlertStore(new ResourceStoreOptions(Path.Combine(dataPath, "EdgeKv.db")), sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<FleetSnapshot>();
        builder.Services.AddSingleton(sp => new NotificationTarget(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<HealthSettings>>().Value.NotificationWebhookUrl));
        builder.Services.AddHttpClient(NotifyActivity.Name);
        builder.Services.AddSingleton<HealthSweepStarter>();
        builder.Services.AddSingleton<EdgeKv.Functions.Alerts.AlertRaiser>();
        builder.Services.AddSingleton<ITimerFunction, HealthSweepTimerFunction>();
        builder.Services.AddSingleton<IEventGridFunction, VaultEventsFunction>();
    }

    /// <summary>Every orchestrator and activity this host runs, by its persisted name.</summary>
    private static void RegisterFunctions(DurableTaskRegistry registry) => registry
        .AddOrchestrator<HelloSequenceOrchestrator>()
        .AddActivity<SayHelloActivity>()
        .AddOrchestrator<ActivationOrchestrator>()
        .AddActivity<RecordActivationProgressActivity>()
        .AddActivity<CheckPrerequisitesActivity>()
        .AddActivity<ResolveVaultNameActivity>()
        .AddActivity<CreateVaultActivity>()
        .AddActivity<LockResourceActivity>()
        .AddActivity<EnableIdentityActivity>()
        .AddActivity<StoreChannelIntegrityKeyActivity>()
        .AddActivity<StartAuditStorageActivity>()
        .AddActivity<GetAuditStorageStatusActivity>()
        .AddActivity<TagAuditStorageActivity>()
        .AddActivity<CreateDiagnosticSettingActivity>()
        .AddActivity<GrantIdentityAccessActivity>()
        .AddActivity<IssueActivationKeyActivity>()
        .AddOrchestrator<HealthSweepOrchestrator>()
        .AddActivity<ListSweepPagesActivity>()
        .AddActivity<CheckHealthPageActivity>()
        .AddOrchestrator<NotificationOrchestrator>()
        .AddActivity<NotifyActivity>()
        .AddActivity<ResolveAlertsActivity>()
        .AddOrchestrator<RecoverIdentityAccessOrchestrator>()
        .AddOrchestrator<SyncDeviceSecretsOrchestrator>()
        .AddActivity<RequestDeviceSyncActivity>()
        .AddActivity<RecoverDeletedDeviceSecretsActivity>()
        .AddOrchestrator<RecoverVaultOrchestrator>()
        .AddActivity<InspectVaultActivity>()
        .AddActivity<RecoverVaultActivity>()
        .AddOrchestrator<RegenerateActivationKeyOrchestrator>()
        .AddActivity<ReplaceActivationKeyActivity>()
        .AddOrchestrator<DeleteResourceOrchestrator>()
        .AddActivity<DeleteLocksActivity>()
        .AddActivity<DeleteAzureResourceActivity>()
        .AddActivity<ForgetResourceActivity>();
}
