using EdgeKv.Activities;
using EdgeKv.Durable;
using EdgeKv.Functions.DurableHttp;
using EdgeKv.Functions.Health;
using EdgeKv.Functions.Http;
using EdgeKv.Functions.Triggers;
using EdgeKv.Functions.Triggers.EventGrid;
using EdgeKv.Orchestrations;

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
        builder.Services.AddDurableTask(dataPath, RegisterFunctions);
        builder.Services.AddOptions<DurableTaskOptions>().Bind(builder.Configuration.GetSection(DurableTaskOptions.SectionName)).ValidateOnStart();
        builder.Services.AddTriggers(dataPath, builder.Configuration);
        configure?.Invoke(builder);

        WebApplication app = builder.Build();
        app.UseAzureErrors();
        app.MapHealthApi();
        app.MapDurableTaskApi();
        app.MapEventGridWebhook();
        return app;
    }

    /// <summary>Every orchestrator and activity this host runs, by its persisted name.</summary>
    private static void RegisterFunctions(DurableTaskRegistry registry) => registry
        .AddOrchestrator<HelloSequenceOrchestrator>()
        .AddActivity<SayHelloActivity>();
}
