using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Text;
using EdgeKv.Functions.Hosting;
using EdgeKv.Records.Alerts;
using EdgeKv.Tests.Support;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EdgeKv.Functions.Tests;

/// <summary>
/// With an OTLP endpoint configured, the local host and the Functions worker export their telemetry there, and the
/// worker to Azure Monitor with an Application Insights connection string; without either nothing is exported; a bad
/// one stops start-up.
/// </summary>
[TestClass]
public sealed class TelemetryTests
{
    [TestMethod]
    public async Task The_host_exports_durable_and_http_metrics_to_the_configured_collector_and_no_credential()
    {
        var bodies = new ConcurrentQueue<(string Path, byte[] Body)>();
        WebApplicationBuilder collectorBuilder = WebApplication.CreateSlimBuilder();
        collectorBuilder.WebHost.UseUrls("http://127.0.0.1:0");
        collectorBuilder.Logging.ClearProviders();
        await using WebApplication collector = collectorBuilder.Build();
        collector.MapPost("/v1/{signal}", async (HttpRequest request) =>
        {
            using var copy = new MemoryStream();
            await request.Body.CopyToAsync(copy);
            bodies.Enqueue((request.Path.Value!, copy.ToArray()));
            return Results.Ok();
        });
        await collector.StartAsync();

        await using HostFixture host = await HostFixture.StartAsync(extraArgs:
            ["--EdgeKv:Telemetry:OtlpEndpoint", collector.Urls.First(), "--EdgeKv:Telemetry:ExportInterval",
                "00:00:00.200"]);
        using HttpResponseMessage started = await host.Http.PostAsync("/api/durabletask/orchestrators/HelloSequence",
            new StringContent("[\"Tokyo\"]", Encoding.UTF8, "application/json"));
        Assert.AreEqual(HttpStatusCode.Accepted, started.StatusCode);
        string statusUri = (await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<System.Text.Json.JsonElement>(started.Content)).GetProperty("statusQueryGetUri").GetString()!;
        await host.PollUntilDoneAsync(statusUri);

        // Another orchestration (the timer's sweep) can finish first, so an export may carry the counter without
        // HelloSequence yet: wait for every expected series, and say which one never came.
        string[] expected = ["edgekv.durable.orchestrations.finished", "HelloSequence",
            "edgekv.durable.activity.duration", "http.server.request.duration"];
        string Exported() => string.Join('\n', bodies.Select(b => Encoding.UTF8.GetString(b.Body)));
        DateTime deadline = DateTime.UtcNow.AddMinutes(3);
        string[] missing = expected;
        while ((missing = expected.Where(e => !Exported().Contains(e,
            StringComparison.Ordinal)).ToArray()).Length > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.IsEmpty(missing, $"never exported: {string.Join(", ", missing)}");
        string exported = Exported();
        Assert.IsTrue(bodies.All(b => b.Path == "/v1/metrics"), "metrics only, no traces");
        string token = host.Http.DefaultRequestHeaders.Authorization!.Parameter!;
        Assert.IsFalse(exported.Contains(token, StringComparison.Ordinal), "no bearer token in telemetry");
    }

    /// <summary>
    /// The worker as the Functions host starts it (WorkerProgram, with the standard OTEL_* settings and the connection
    /// string infra/main.bicep sets), built without a Functions host to reach: an alert raised through its own services
    /// leaves it as EdgeKv's metric on both exporters, and an invocation span on the worker's activity source as a
    /// trace.
    /// </summary>
    [TestMethod]
    public async Task The_functions_worker_exports_EdgeKv_metrics_and_invocation_spans_over_OTLP_and_to_Azure_Monitor()
    {
        var bodies = new ConcurrentQueue<(string Path, byte[] Body)>();
        WebApplicationBuilder sinkBuilder = WebApplication.CreateSlimBuilder();
        sinkBuilder.WebHost.UseUrls("http://127.0.0.1:0");
        sinkBuilder.Logging.ClearProviders();
        await using WebApplication sink = sinkBuilder.Build();
        sink.MapPost("/{**path}", async (HttpRequest request) =>
        {
            using var copy = new MemoryStream();
            Stream body = request.Headers.ContentEncoding == "gzip" ? new GZipStream(request.Body,
                CompressionMode.Decompress) : request.Body;
            await body.CopyToAsync(copy);
            bodies.Enqueue((request.Path.Value!, copy.ToArray()));
            // Azure Monitor's ingestion answer: every item accepted.
            return request.Path.StartsWithSegments("/v2.1") ? Results.Json(new { itemsReceived = 1, itemsAccepted = 1,
                errors = Array.Empty<object>() }) : Results.Ok();
        });
        await sink.StartAsync();
        string url = sink.Urls.First();

        using var data = new TempDirectory("worker");
        using IHost worker = WorkerProgram.Build([
            "--Functions:Worker:HostEndpoint", "http://127.0.0.1:9", // never reached: the worker is built, not started
            "--EdgeKv:DataPath", data.Path,
            "--OTEL_EXPORTER_OTLP_ENDPOINT", url, "--OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf",
            "--APPLICATIONINSIGHTS_CONNECTION_STRING",
            $"InstrumentationKey=00000000-0000-4000-8000-0000000000a1;IngestionEndpoint={url}/",
            "--EdgeKv:Telemetry:ExportInterval", "00:00:00.200"]);
        MeterProvider meters = worker.Services.GetRequiredService<MeterProvider>();
        TracerProvider traces = worker.Services.GetRequiredService<TracerProvider>();

        await worker.Services.GetRequiredService<AlertStore>().RaiseAsync(new AlertObservation("otlp-ase",
            AlertKind.VaultLockMissing, "test"));
        // What the worker core does for each invocation (its source is internal): a span on its activity source, here
        // with no parent (in Azure the Functions host's span is the sampled parent; a test's leftover current one is
        // not).
        Activity.Current = null;
        using (var invocations = new ActivitySource(TelemetryServices.WorkerActivitySource))
        using (Activity? span = invocations.StartActivity("Invoke ServeDashboard"))
        {
            Assert.IsNotNull(span, "the worker traces its invocations");
            Assert.IsTrue(span.Recorded, "sampled: every invocation is traced");
        }

        string[] expected = ["/v1/metrics edgekv.alerts.changes", "/v1/traces Invoke ServeDashboard",
            "/v2.1/track edgekv.alerts.changes"];
        bool Exported(string e) => bodies.Any(b => e.StartsWith(b.Path + " ",
            StringComparison.Ordinal) && Encoding.UTF8.GetString(b.Body).Contains(e[(e.IndexOf(' ') + 1)..],
                StringComparison.Ordinal));
        DateTime deadline = DateTime.UtcNow.AddSeconds(60);
        string[] missing = expected;
        while ((missing = expected.Where(e => !Exported(e)).ToArray()).Length > 0 && DateTime.UtcNow < deadline)
        {
            meters.ForceFlush(1_000);
            traces.ForceFlush(1_000);
            await Task.Delay(200);
        }

        Assert.IsEmpty(missing, $"never exported: {string.Join(", ", missing)}; received: {string.Join(", ", bodies.Select(b => b.Path).Distinct())}");
    }

    [TestMethod]
    public void Without_an_endpoint_nothing_is_exported_and_a_bad_endpoint_is_refused_at_start()
    {
        var none = new ServiceCollection().AddEdgeKvTelemetry(new ConfigurationBuilder().Build());
        Assert.IsFalse(none.Any(d => d.ServiceType.FullName?.StartsWith("OpenTelemetry",
            StringComparison.Ordinal) == true));

        IConfiguration bad = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [TelemetryServices.EndpointSetting] = "ftp://collector" }).Build();
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => new ServiceCollection().AddEdgeKvTelemetry(bad));
        StringAssert.Contains(error.Message, TelemetryServices.EndpointSetting);

        IConfiguration notAConnectionString = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [TelemetryServices.AzureMonitorSetting] = "https://example.invalid" }).Build();
        error = Assert.ThrowsExactly<InvalidOperationException>(() => new ServiceCollection().AddEdgeKvTelemetry(notAConnectionString));
        StringAssert.Contains(error.Message, TelemetryServices.AzureMonitorSetting);

        // An empty setting (the rehearsal's, with no Application Insights) is no destination.
        IConfiguration empty = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [TelemetryServices.AzureMonitorSetting] = "" }).Build();
        Assert.IsFalse(new ServiceCollection().AddEdgeKvTelemetry(empty).Any(d => d.ServiceType.FullName?.StartsWith("OpenTelemetry", StringComparison.Ordinal) == true));
    }
}
