using EdgeKv.Durable;
using EdgeKv.Activities.Health;
using EdgeKv.Records.Alerts;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace EdgeKv.Functions.Hosting;

/// <summary>
/// Metrics over OpenTelemetry (OTLP), on when an endpoint is configured: <c>EdgeKv:Telemetry:OtlpEndpoint</c> (OTLP over
/// HTTP, such as <c>http://collector:4318</c>) or the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> variables. Exported:
/// EdgeKv's meters (alerts, sweep), the durable runtime's (orchestrations, activities, poison messages), and ASP.NET
/// Core's and HttpClient's own (requests by route and status; outbound calls to Azure by host). Metrics carry names,
/// routes and outcomes only: no paths with values, no query strings, no secret. No traces: request URLs can carry keys.
/// </summary>
public static class TelemetryServices
{
    public const string EndpointSetting = "EdgeKv:Telemetry:OtlpEndpoint";
    public const string ExportIntervalSetting = "EdgeKv:Telemetry:ExportInterval";

    public static IServiceCollection AddEdgeKvTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        string? endpoint = configuration[EndpointSetting];
        bool standard = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]) || !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"]);
        if (string.IsNullOrWhiteSpace(endpoint) && !standard) return services;
        if (endpoint is not null && (!Uri.TryCreate(endpoint, UriKind.Absolute, out Uri? collector) || collector.Scheme is not ("http" or "https")))
        {
            throw new InvalidOperationException($"{EndpointSetting} must be an absolute http(s) URL of an OTLP/HTTP collector, such as http://collector:4318.");
        }

        TimeSpan interval = configuration.GetValue(ExportIntervalSetting, TimeSpan.FromSeconds(60));
        if (interval < TimeSpan.FromMilliseconds(100)) throw new InvalidOperationException($"{ExportIntervalSetting} must be at least 100 ms.");
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("edgekv", serviceVersion: typeof(TelemetryServices).Assembly.GetName().Version?.ToString()))
            .WithMetrics(metrics => metrics
                .AddMeter(AlertMetrics.MeterName, SweepMetrics.MeterName, DurableTaskMetrics.MeterName)
                .AddMeter("Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Net.Http")
                .AddOtlpExporter((exporter, reader) =>
                {
                    reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)interval.TotalMilliseconds;
                    if (string.IsNullOrWhiteSpace(endpoint)) return; // the OTEL_EXPORTER_OTLP_* variables apply
                    exporter.Protocol = OtlpExportProtocol.HttpProtobuf;
                    exporter.Endpoint = new Uri(endpoint.TrimEnd('/') + "/v1/metrics");
                }));
        return services;
    }
}
