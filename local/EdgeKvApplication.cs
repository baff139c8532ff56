using EdgeKv.Durable.Hosting;
using EdgeKv.Functions.AzureConnection;
using EdgeKv.Functions.DurableHttp;
using EdgeKv.Functions.Health;
using EdgeKv.Functions.Hosting;
using EdgeKv.Functions.Http;
using EdgeKv.Functions.Security;
using EdgeKv.FunctionsHost;
using EdgeKv.Local.Dashboard;
using EdgeKv.Local.Emulator;
using EdgeKv.Local.Hosting;
using EdgeKv.Local.Security;
using EdgeKv.Orchestrations;
using EdgeKv.Records.Shared;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EdgeKv.Local;

/// <summary>
/// Builds EdgeKv's local host: the local Functions host (functionshost/) serving the Azure app's [Function] classes
/// (functions/), with the routes the Functions host itself provides (Durable instance management, admin keys, health,
/// OpenAPI) beside them, the Azure emulator started in-process, and the dashboard. Program.cs and the tests start it
/// the same way.
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
        AddLocalEmulator(builder.Services, builder.Configuration, dataPath);
        builder.Services.AddEdgeKvServices(builder.Configuration, dataPath);
        builder.Services.AddDurableTaskHub(builder.Configuration, dataPath, EdgeKvTasks.Register);
        builder.Services.AddTriggers(dataPath, builder.Configuration);
        builder.Services.AddLocalFunctionsHost(typeof(EdgeKvServices).Assembly, Path.Combine(dataPath, "timers"));
        if (EdgeKvStoreOptions.From(builder.Configuration).IsShared)
        {
            // Several hosts: timer schedule status in the shared account too (in Azure the Functions host keeps its own).
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
        app.MapDurableTaskApi();
        app.MapSecurityHostApis();
        app.MapDashboard();
        return app;
    }

    /// <summary>Local mode's Azure: the emulator, which the Azure app's start-up connects to in emulator mode.</summary>
    private static void AddLocalEmulator(IServiceCollection services, IConfiguration configuration, string dataPath)
    {
        services.AddSingleton(new LocalDataPath(dataPath));
        services.AddOptions<EmulatorSettings>().Bind(configuration.GetSection(EmulatorSettings.SectionName))
            .Validate(s => { s.Validate(); return true; }).ValidateOnStart();
        services.AddSingleton<EmulatorConnection>();
        services.AddSingleton<IEmulatedAzure>(sp => sp.GetRequiredService<EmulatorConnection>());
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
}
