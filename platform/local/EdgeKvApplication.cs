using EdgeKv.Durable.Hosting;
using EdgeKv.Functions.AzureConnection;
using EdgeKv.Functions.Hosting;
using EdgeKv.Functions.Http;
using EdgeKv.Functions.Security;
using EdgeKv.FunctionsHost;
using EdgeKv.Local.Dashboard;
using EdgeKv.Local.Emulator;
using EdgeKv.Local.Hosting;
using EdgeKv.Local.Security;
using EdgeKv.Orchestrations;
using EdgeKv.Records.Tables;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EdgeKv.Local;

/// <summary>
/// Builds EdgeKv's local host: the local Functions host (platform/functionshost/) serving the Azure app's [Function]
/// classes (functions/), with the routes the Functions host itself provides (Durable instance management, admin keys,
/// health, OpenAPI) beside them, the Azure emulator started in-process, and the dashboard. Program.cs and the tests
/// start it the same way.
/// </summary>
public static class EdgeKvApplication
{
    public const string DefaultUrl = "http://localhost:7071";

    /// <param name="defaultSettings">
    /// The composition's default app settings (the <c>Values</c> of a local.settings file) under everything else: by
    /// default local.settings.sample.json beside the binaries. App settings the functions name (<c>%setting%</c>) come
    /// from there locally, as infra/main.bicep sets them in Azure; none is built into code.
    /// </param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null,
        string? defaultSettings = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args,
            ContentRootPath = Directory.GetCurrentDirectory() });
        string? hostJson = builder.Configuration.AddFunctionsConfiguration(builder.Environment.ContentRootPath, args,
            defaultSettings ?? FunctionsConfiguration.DefaultSettingsPath);
        HostConfigurationRules.Validate(builder.Configuration, hostJson);
        if (string.IsNullOrEmpty(builder.Configuration["urls"])) builder.WebHost.UseUrls(DefaultUrl);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));

        EdgeKvHostOptions host = builder.Configuration.GetSection(EdgeKvHostOptions.SectionName).Get<EdgeKvHostOptions>() ?? new EdgeKvHostOptions();
        string dataPath = Path.GetFullPath(host.DataPath, builder.Environment.ContentRootPath);
        RefuseSharedStoresOnAPrivateHub(builder.Configuration);
        AddLocalEmulator(builder.Services, builder.Configuration, dataPath);
        builder.Services.AddEdgeKvServices(builder.Configuration, dataPath);
        builder.Services.AddDurableTaskHub(builder.Configuration, dataPath, EdgeKvTasks.Register);
        builder.Services.AddTriggers(dataPath, builder.Configuration);
        builder.Services.AddLocalFunctionsHost(typeof(EdgeKvServices).Assembly, DurableFunctions(),
            builder.Configuration, Path.Combine(dataPath, "timers"));
        if (EdgeKvStoreOptions.From(builder.Configuration).IsShared)
        {
            // Several hosts: timer schedule status in the shared account too (in Azure the Functions host keeps its
            // own).
            builder.Services.Replace(ServiceDescriptor.Singleton(sp => new EdgeKv.FunctionsHost.Timers.ScheduleStatusStore(sp.GetRequiredService<SharedStoreAccount>().Container("timers"))));
        }

        builder.Services.AddEdgeKvTelemetry(builder.Configuration);
        builder.Services.AddEdgeKvSecurity(builder.Configuration, dataPath);
        builder.Services.AddOpenApi();
        configure?.Invoke(builder);

        WebApplication app = builder.Build();
        app.UseAzureErrors();
        app.UseEdgeKvSecurity();
        app.MapHttpFunctions();
        app.MapHealthApi();
        app.MapDurableTaskWebhookApi();
        app.MapSecurityHostApis();
        app.MapDashboard();
        return app;
    }

    /// <summary>
    /// One function per orchestrator and activity of the registry, as the Durable worker extension reports them to the
    /// Functions host.
    /// </summary>
    private static IEnumerable<IndexedFunction> DurableFunctions() =>
    [
        .. RegisteredTasks.Orchestrators(EdgeKvTasks.Register).Select(name => new IndexedFunction(name,
            "orchestrationTrigger")),
        .. RegisteredTasks.Activities(EdgeKvTasks.Register).Select(name => new IndexedFunction(name,
            "activityTrigger")),
    ];

    /// <summary>
    /// Local mode's Azure: the emulator, which the Azure app's start-up connects to in emulator mode.
    /// </summary>
    private static void AddLocalEmulator(IServiceCollection services, IConfiguration configuration, string dataPath)
    {
        services.AddSingleton(new LocalDataPath(dataPath));
        services.AddOptions<EmulatorSettings>().Bind(configuration.GetSection(EmulatorSettings.SectionName))
            .Validate(s => { s.Validate(); return true; }).ValidateOnStart();
        services.AddSingleton<EmulatorConnection>();
        services.AddSingleton<IEmulatedAzure>(sp => sp.GetRequiredService<EmulatorConnection>());
        services.AddSingleton<EdgeKv.Functions.Dashboard.ILocalDashboardSignIn, DashboardHosting.EmulatorSignIn>();

        // The settings infra/main.bicep sets in RBAC mode: the ids of the two vault data roles the emulator is seeded
        // with (against Azure they are the deployment's, and must be set).
        bool azure = string.Equals(configuration["EdgeKv:Azure:Mode"], nameof(EdgeKv.Azure.AzureMode.Azure),
            StringComparison.OrdinalIgnoreCase);
        services.PostConfigure<EdgeKv.Activities.Activation.VaultPermissionSettings>(s =>
        {
            if (azure) return;
            EdgeKv.Activities.VaultRoleIds ids = TemplateRolesInEmulator.VaultDataRoleIds();
            if (string.IsNullOrWhiteSpace(s.DeviceRoleDefinitionId)) s.DeviceRoleDefinitionId = ids.Device.ToString();
            if (string.IsNullOrWhiteSpace(s.ServiceRoleDefinitionId)) s.ServiceRoleDefinitionId = ids.Service.ToString();
        });
    }

    /// <summary>
    /// Hosts that share EdgeKv's stores must share the durable hub too: on a hub of their own each host would run its
    /// own health sweep and its own instance of every fixed-id flow over the same records.
    /// </summary>
    private static void RefuseSharedStoresOnAPrivateHub(IConfiguration configuration)
    {
        string provider = DurableTaskHubOptions.From(configuration).StorageProvider.Type;
        if (EdgeKvStoreOptions.From(configuration).IsShared && !string.Equals(provider, "AzureStorage",
            StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(
                $"{EdgeKvStoreOptions.SectionName}:Type is AzureStorage (stores shared by several hosts) but the durable hub's storage provider is '{provider}'; "
                + $"set the app setting {DurableTaskHubOptions.LocalSectionName}:StorageProvider to AzureStorage as well (in Azure the Durable extension always runs on it).");
        }
    }
}
