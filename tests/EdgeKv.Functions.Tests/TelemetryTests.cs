using System.Collections.Concurrent;
using System.Net;
using System.Text;
using EdgeKv.Functions.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EdgeKv.Functions.Tests;

/// <summary>With an OTLP endpoint configured, the host exports its metrics there; without one it exports nothing; a bad one stops start-up.</summary>
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
            ["--EdgeKv:Telemetry:OtlpEndpoint", collector.Urls.First(), "--EdgeKv:Telemetry:ExportInterval", "00:00:00.200"]);
        using HttpResponseMessage started = await host.Http.PostAsync("/runtime/webhooks/durabletask/orchestrators/HelloSequence",
            new StringContent("[\"Tokyo\"]", Encoding.UTF8, "application/json"));
        Assert.AreEqual(HttpStatusCode.Accepted, started.StatusCode);
        string statusUri = (await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<System.Text.Json.JsonElement>(started.Content)).GetProperty("statusQueryGetUri").GetString()!;
        await host.PollUntilDoneAsync(statusUri);

        // Another orchestration (the timer's sweep) can finish first, so an export may carry the counter without
        // HelloSequence yet: wait for every expected series, and say which one never came.
        string[] expected = ["edgekv.durable.orchestrations.finished", "HelloSequence", "edgekv.durable.activity.duration", "http.server.request.duration"];
        string Exported() => string.Join('\n', bodies.Select(b => Encoding.UTF8.GetString(b.Body)));
        DateTime deadline = DateTime.UtcNow.AddMinutes(3);
        string[] missing = expected;
        while ((missing = expected.Where(e => !Exported().Contains(e, StringComparison.Ordinal)).ToArray()).Length > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.IsEmpty(missing, $"never exported: {string.Join(", ", missing)}");
        string exported = Exported();
        Assert.IsTrue(bodies.All(b => b.Path == "/v1/metrics"), "metrics only, no traces");
        string token = host.Http.DefaultRequestHeaders.Authorization!.Parameter!;
        Assert.IsFalse(exported.Contains(token, StringComparison.Ordinal), "no bearer token in telemetry");
    }

    [TestMethod]
    public void Without_an_endpoint_nothing_is_exported_and_a_bad_endpoint_is_refused_at_start()
    {
        var none = new ServiceCollection().AddEdgeKvTelemetry(new ConfigurationBuilder().Build());
        Assert.IsFalse(none.Any(d => d.ServiceType.FullName?.StartsWith("OpenTelemetry", StringComparison.Ordinal) == true));

        IConfiguration bad = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [TelemetryServices.EndpointSetting] = "ftp://collector" }).Build();
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => new ServiceCollection().AddEdgeKvTelemetry(bad));
        StringAssert.Contains(error.Message, TelemetryServices.EndpointSetting);
    }
}
