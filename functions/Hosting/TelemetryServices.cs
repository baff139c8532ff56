using Azure.Monitor.OpenTelemetry.Exporter;
using EdgeKv.Tasks;
using EdgeKv.Activities.Health;
using EdgeKv.Records.Alerts;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace EdgeKv.Functions.Hosting;

/// <summary>
/// EdgeKv's telemetry over OpenTelemetry, the same set-up in the Functions worker (WorkerProgram) and the local host,
/// on when a destination is configured:
/// <list type="bullet">
/// <item>OTLP over HTTP: <c>EdgeKv:Telemetry:OtlpEndpoint</c> (such as <c>http://collector:4318</c>) or the standard
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> variables (with <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>);</item>
/// <item>Azure Monitor (Application Insights): <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c>, the app setting
/// infra/main.bicep sets from its workspace-based Application Insights; logs go there too, as the Functions host drops
/// the isolated worker's own log lines.</item>
/// </list>
/// Metrics: EdgeKv's meters (alerts, sweep), the durable runtime's (orchestrations, activities, poison messages), and
/// ASP.NET Core's and HttpClient's own (requests by route and status; outbound calls to Azure by host). Traces, in the
/// worker only: one span per function invocation (the worker's own activity source, through
/// <c>UseFunctionsWorkerDefaults</c>), named by function, correlated with the Functions host's. Telemetry carries
/// names, routes and outcomes only: no request URL (they can carry keys), no query string, no secret.
/// </summary>
public static class TelemetryServices
{
    public const string EndpointSetting = "EdgeKv:Telemetry:OtlpEndpoint";
    public const string ExportIntervalSetting = "EdgeKv:Telemetry:ExportInterval";
    public const string AzureMonitorSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>
    /// The isolated worker's activity source, one span per invocation (Microsoft.Azure.Functions.Worker.Core).
    /// </summary>
    public const string WorkerActivitySource = "Microsoft.Azure.Functions.Worker";

    private static readonly string[] StandardOtlpSettings =
        ["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"];

    /// <param name="functionsWorker">True in the isolated worker the Functions host runs: its invocation spans are
    /// traced too.</param>
    public static IServiceCollection AddEdgeKvTelemetry(this IServiceCollection services, IConfiguration configuration,
        bool functionsWorker = false)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        string? endpoint = configuration[EndpointSetting];
        bool otlp = !string.IsNullOrWhiteSpace(endpoint) || StandardOtlpSettings.Any(s => !string.IsNullOrWhiteSpace(configuration[s]));
        string? azureMonitor = configuration[AzureMonitorSetting];
        bool monitor = !string.IsNullOrWhiteSpace(azureMonitor);
        if (!otlp && !monitor) return services;
        if (!string.IsNullOrWhiteSpace(endpoint) && (!Uri.TryCreate(endpoint, UriKind.Absolute,
            out Uri? collector) || collector.Scheme is not ("http" or "https")))
        {
            throw new InvalidOperationException($"{EndpointSetting} must be an absolute http(s) URL of an OTLP/HTTP collector, such as http://collector:4318.");
        }

        if (monitor && !azureMonitor!.Contains("InstrumentationKey=", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"{AzureMonitorSetting} must be an Application Insights connection string (InstrumentationKey=...;IngestionEndpoint=...).");
        }

        TimeSpan interval = configuration.GetValue(ExportIntervalSetting, TimeSpan.FromSeconds(60));
        if (interval < TimeSpan.FromMilliseconds(100)) throw new InvalidOperationException($"{ExportIntervalSetting} must be at least 100 ms.");
        OpenTelemetryBuilder telemetry = services.AddOpenTelemetry();
        // The worker's defaults first (its invocation spans, the function app as the resource); EdgeKv's service name
        // on top.
        if (functionsWorker) telemetry.UseFunctionsWorkerDefaults();
        telemetry.ConfigureResource(resource => resource.AddService("edgekv",
            serviceVersion: typeof(TelemetryServices).Assembly.GetName().Version?.ToString()));
        telemetry.WithMetrics(metrics =>
        {
            metrics
                .AddMeter(AlertMetrics.MeterName, SweepMetrics.MeterName, DurableTaskMetrics.MeterName)
                .AddMeter("Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Net.Http");
            if (otlp)
            {
                metrics.AddOtlpExporter((exporter, reader) =>
                {
                    reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)interval.TotalMilliseconds;
                    Point(exporter, endpoint, "metrics");
                });
            }
        });
        if (functionsWorker)
        {
            telemetry.WithTracing(tracing =>
            {
                tracing.AddSource(WorkerActivitySource);
                if (otlp) tracing.AddOtlpExporter(exporter => Point(exporter, endpoint, "traces"));
            });
        }

        if (monitor)
        {
            telemetry.UseAzureMonitorExporter(o =>
            {
                o.ConnectionString = azureMonitor;
                o.EnableLiveMetrics = false; // a second connection per instance, for a view EdgeKv's own metrics already give
                if (string.IsNullOrWhiteSpace(configuration["OTEL_TRACES_SAMPLER"]))
                {
                    // Every invocation, not the exporter's default of 5 traces a second (which also drops the first
                    // ones after start-up): EdgeKv's calls are a fleet's management calls and sweeps, few, and each one
                    // is worth its trace.
                    o.SamplingRatio = 1.0F;
                    o.TracesPerSecond = null;
                }
            });
        }

        return services;
    }

    /// <summary>EdgeKv's own endpoint setting wins; without it the OTEL_EXPORTER_OTLP_* variables apply.</summary>
    private static void Point(OtlpExporterOptions exporter, string? endpoint, string signal)
    {
        if (string.IsNullOrWhiteSpace(endpoint)) return;
        exporter.Protocol = OtlpExportProtocol.HttpProtobuf;
        exporter.Endpoint = new Uri(endpoint.TrimEnd('/') + "/v1/" + signal);
    }
}
