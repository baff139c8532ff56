using Azure.Core.Serialization;
using EdgeKv.Functions.Hosting.Worker;
using EdgeKv.Functions.Security;
using EdgeKv.Orchestrations;
using EdgeKv.Tasks;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Worker;
using Microsoft.Azure.Functions.Worker.Builder;

namespace EdgeKv.Functions.Hosting;

/// <summary>
/// The isolated worker as the Functions host starts it (in Azure, or under Core Tools): the host passes its gRPC
/// endpoint, and the functions run behind the ASP.NET Core integration with EdgeKv's error and permission middleware;
/// the Durable extension hosts the orchestrators and activities on the task hub host.json names.
/// </summary>
internal static class WorkerProgram
{
    /// <summary>
    /// True when the Functions host started this process: it passes its endpoint as configuration or arguments.
    /// </summary>
    public static bool StartedByFunctionsHost(string[] args)
    {
        IConfiguration configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build();
        return !string.IsNullOrEmpty(configuration["Functions:Worker:HostEndpoint"]) || !string.IsNullOrEmpty(configuration["functions-uri"]);
    }

    public static async Task RunAsync(string[] args) => await Build(args).RunAsync();

    /// <summary>
    /// The worker's host, built and not started (the tests read its services without a Functions host).
    /// </summary>
    public static IHost Build(string[] args)
    {
        FunctionsApplicationBuilder builder = FunctionsApplication.CreateBuilder(args);
        builder.ConfigureFunctionsWebApplication();
        builder.UseMiddleware<FunctionsErrorMiddleware>();
        builder.UseMiddleware<FunctionsPermissionMiddleware>();

        EdgeKvHostOptions host = builder.Configuration.GetSection(EdgeKvHostOptions.SectionName).Get<EdgeKvHostOptions>() ?? new EdgeKvHostOptions();
        string dataPath = Path.GetFullPath(host.DataPath, builder.Environment.ContentRootPath);
        builder.Services.AddEdgeKvServices(builder.Configuration, dataPath);
        builder.Services.AddEdgeKvSecurity(builder.Configuration, dataPath);
        // The Functions host drops the worker's log lines; what leaves the worker is its own telemetry (OTLP,
        // Application Insights).
        builder.Services.AddEdgeKvTelemetry(builder.Configuration, functionsWorker: true);
        // The orchestrators and activities, from the registry the local host uses too; the extension reports one
        // orchestration or activity trigger per class to the Functions host at start-up.
        builder.ConfigureDurableWorker().AddTasks(EdgeKvTasks.Register);
        // The Durable extension takes its data converter from the worker's serializer, whatever DI holds: EdgeKv's JSON
        // (which refuses a SensitiveValue anywhere in a payload) must be that serializer, or secrets could reach
        // history.
        builder.Services.Configure<WorkerOptions>(o => o.Serializer = new JsonObjectSerializer(EdgeKvDataConverter.SerializerOptions));
        return builder.Build();
    }
}
