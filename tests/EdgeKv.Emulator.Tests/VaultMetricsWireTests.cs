using System.Globalization;
using System.Text.Json.Nodes;

namespace EdgeKv.Emulator.Tests;

/// <summary>
/// Azure Monitor's metrics API for key vaults on the wire (metrics_API.json, metricDefinitions_API.json; 2023-10-01 is
/// what MetricsQueryClient 1.7.1 sends, 2024-02-01 the newest):
/// the response envelope, per-interval points with zero-filled counts, splitting by a dimension, and Azure's 400s.
/// </summary>
[TestClass]
public sealed class VaultMetricsWireTests
{
    private const string Rg = "rg-metrics-wire";
    private const string VaultName = "kv-metrics-wire";
    private static ArmHttp arm = null!;
    private static string armToken = null!;
    private static string vaultId = null!;

    [ClassInitialize]
    public static async Task InitializeAsync(TestContext context)
    {
        arm = new ArmHttp(TestEmulator.Shared);
        armToken = await arm.GetTokenAsync();
        var vaultToken = await arm.GetTokenAsync(scope: "https://vault.azure.net/.default");
        Assert.AreEqual(201, (await arm.PutAsync($"{arm.SubscriptionPath}/resourceGroups/{Rg}?api-version=2022-09-01", armToken, """{"location":"westus2"}""")).Status);
        vaultId = await arm.CreateVaultForServiceAsync(armToken, Rg, VaultName, """{"secrets":["all"]}""");
        Assert.AreEqual(200, (await arm.PutAsync($"/vaults/{VaultName}/secrets/s1?api-version=7.6", vaultToken, """{"value":"v"}""")).Status);
        for (var i = 0; i < 3; i++)
        {
            Assert.AreEqual(200, (await arm.GetAsync($"/vaults/{VaultName}/secrets/s1?api-version=7.6",
                vaultToken)).Status);
        }

        Assert.AreEqual(404, (await arm.GetAsync($"/vaults/{VaultName}/secrets/absent?api-version=7.6",
            vaultToken)).Status);
    }

    [ClassCleanup]
    public static void Cleanup() => arm.Dispose();

    private static string Window(TimeSpan before, TimeSpan after) =>
        $"{DateTimeOffset.UtcNow.Add(-before):yyyy-MM-ddTHH:mm:ssZ}/{DateTimeOffset.UtcNow.Add(after):yyyy-MM-ddTHH:mm:ssZ}";

    [TestMethod]
    public async Task Metrics_AnswerAzuresEnvelope_WithOnePointPerInterval()
    {
        var timespan = Window(TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(5));
        var reply = await arm.GetAsync($"{vaultId}/providers/Microsoft.Insights/metrics?api-version=2023-10-01&metricnames=ServiceApiHit,ServiceApiLatency,Availability" +
            $"&timespan={Uri.EscapeDataString(timespan)}&interval=PT5M&aggregation=count,average,maximum&metricnamespace=Microsoft.KeyVault%2Fvaults", armToken);

        Assert.AreEqual(200, reply.Status, reply.Text);
        var body = reply.Json!;
        Assert.AreEqual("PT5M", (string?)body["interval"]);
        Assert.AreEqual("Microsoft.KeyVault/vaults", (string?)body["namespace"]);
        Assert.AreEqual("westus2", (string?)body["resourceregion"]);
        StringAssert.Contains((string)body["timespan"]!, "/");
        Assert.IsTrue((int)body["cost"]! > 0);
        var metrics = body["value"]!.AsArray();
        CollectionAssert.AreEqual(new[] { "ServiceApiHit", "ServiceApiLatency", "Availability" },
            metrics.Select(m => (string?)m!["name"]!["value"]).ToArray());
        foreach (var metric in metrics)
        {
            Assert.AreEqual($"{vaultId}/providers/Microsoft.Insights/metrics/{metric!["name"]!["value"]}", (string?)metric["id"]);
            Assert.AreEqual("Microsoft.Insights/metrics", (string?)metric["type"]);
            Assert.AreEqual("Success", (string?)metric["errorCode"]);
            Assert.IsNotNull((string?)metric["name"]!["localizedValue"]);
            Assert.IsNotNull((string?)metric["displayDescription"]);
            var series = metric["timeseries"]!.AsArray().Single()!;
            Assert.AreEqual(0, series["metadatavalues"]!.AsArray().Count);
            var data = series["data"]!.AsArray();
            Assert.IsTrue(data.Count is 7 or 8, $"{data.Count} points of five minutes over 35 minutes");
            var times = data.Select(d => DateTimeOffset.Parse((string)d!["timeStamp"]!,
                CultureInfo.InvariantCulture)).ToList();
            Assert.IsTrue(times.All(t => t.Minute % 5 == 0 && t.Second == 0), "points are aligned to the grain");
            Assert.IsTrue(times.Zip(times.Skip(1)).All(p => p.Second - p.First == TimeSpan.FromMinutes(5)));
        }

        Assert.AreEqual(("Count", "MilliSeconds", "Percent"),
            ((string?)metrics[0]!["unit"], (string?)metrics[1]!["unit"], (string?)metrics[2]!["unit"]));
        var hits = metrics[0]!["timeseries"]![0]!["data"]!.AsArray();
        Assert.IsTrue(hits.All(d => d!["count"] is not null), "every interval has a count, zero when idle");
        Assert.AreEqual(5, hits.Sum(d => (double)d!["count"]!));
        Assert.IsTrue(hits.All(d => d!["average"] is null), "ServiceApiHit answers only the aggregations it supports");
        var latency = metrics[1]!["timeseries"]![0]!["data"]!.AsArray();
        Assert.IsTrue(latency.Any(d => d!["average"] is not null && d["maximum"] is not null));
        Assert.IsTrue(latency.Where(d => (double?)d!["count"] == 0).All(d => d!["average"] is null),
            "an idle interval has no average");
        var availability = metrics[2]!["timeseries"]![0]!["data"]!.AsArray();
        Assert.IsTrue(availability.Where(d => d!["average"] is not null).All(d => (double)d!["average"]! == 100),
            "a 404 is the caller's, not the service's, failure");
    }

    [TestMethod]
    public async Task Results_SplitByStatusCodeClass_OneSeriesPerClass()
    {
        var reply = await arm.GetAsync($"{vaultId}/providers/Microsoft.Insights/metrics?api-version=2024-02-01&metricnames=ServiceApiResult" +
            $"&timespan={Uri.EscapeDataString(Window(TimeSpan.FromHours(1), TimeSpan.FromMinutes(5)))}&interval=FULL&aggregation=Count&$filter=" +
            Uri.EscapeDataString("StatusCodeClass eq '*' and ActivityType eq 'secret'"), armToken);

        Assert.AreEqual(200, reply.Status, reply.Text);
        var series = reply.Json!["value"]![0]!["timeseries"]!.AsArray();
        var counts = series.ToDictionary(s => (string)s!["metadatavalues"]![0]!["value"]!,
            s => (double)s!["data"]![0]!["count"]!);
        Assert.AreEqual("statuscodeclass", (string?)series[0]!["metadatavalues"]![0]!["name"]!["value"]);
        Assert.AreEqual(4, counts["2xx"]);
        Assert.AreEqual(1, counts["4xx"]);
        Assert.AreEqual(2, counts.Count);
    }

    [TestMethod]
    public async Task MetricDefinitions_ListKeyVaultsMetrics()
    {
        var reply = await arm.GetAsync($"{vaultId}/providers/Microsoft.Insights/metricDefinitions?api-version=2024-02-01&metricnamespace=Microsoft.KeyVault/vaults", armToken);

        Assert.AreEqual(200, reply.Status, reply.Text);
        var definitions = reply.Json!["value"]!.AsArray();
        CollectionAssert.AreEquivalent(new[] { "ServiceApiHit", "ServiceApiLatency", "ServiceApiResult",
            "Availability" },
            definitions.Select(d => (string?)d!["name"]!["value"]).ToArray());
        var latency = definitions.Single(d => (string?)d!["name"]!["value"] == "ServiceApiLatency")!;
        Assert.AreEqual(("MilliSeconds", "Average", vaultId),
            ((string?)latency["unit"], (string?)latency["primaryAggregationType"], (string?)latency["resourceId"]));
        CollectionAssert.Contains(latency["dimensions"]!.AsArray().Select(d => (string?)d!["value"]).ToList(),
            "StatusCodeClass");
        Assert.IsTrue(latency["metricAvailabilities"]!.AsArray().Any(a => (string?)a!["timeGrain"] == "PT1M"));
    }

    [TestMethod]
    [DataRow("metricnames=Nope", "BadRequest")]
    [DataRow("metricnames=ServiceApiHit&timespan=yesterday", "BadRequest")]
    [DataRow("metricnames=ServiceApiHit&timespan=2026-01-02T00:00:00Z/2026-01-01T00:00:00Z", "BadRequest")]
    [DataRow("metricnames=ServiceApiHit&interval=PT30S", "BadRequest")]
    [DataRow("metricnames=ServiceApiHit&interval=often", "BadRequest")]
    [DataRow("metricnames=ServiceApiHit&aggregation=median", "BadRequest")]
    [DataRow("metricnames=ServiceApiHit&timespan=P400D&interval=PT1M", "BadRequest")]
    [DataRow("metricnames=ServiceApiHit&$filter=StatusCode%20eq%20'200'", "BadRequest")]
    [DataRow("metricnames=ServiceApiHit&$filter=ActivityName%20ne%20'x'", "BadRequest")]
    [DataRow("metricnames=ServiceApiHit&metricnamespace=Microsoft.Storage/storageAccounts", "BadRequest")]
    public async Task BadQueries_Answer400InAzuresErrorShape(string query, string code)
    {
        var reply = await arm.GetAsync($"{vaultId}/providers/Microsoft.Insights/metrics?api-version=2024-02-01&{query}",
            armToken);

        Assert.AreEqual((400, code), (reply.Status, reply.ErrorCode), reply.Text);
        Assert.IsFalse(string.IsNullOrEmpty((string?)reply.Json!["error"]!["message"]));
    }

    [TestMethod]
    public async Task UnknownApiVersionAndMissingVault_AreRefusedLikeResourceManager()
    {
        var version = await arm.GetAsync($"{vaultId}/providers/Microsoft.Insights/metrics?api-version=2099-01-01&metricnames=ServiceApiHit", armToken);
        var missing = await arm.GetAsync($"{arm.SubscriptionPath}/resourceGroups/{Rg}/providers/Microsoft.KeyVault/vaults/kv-none/providers/Microsoft.Insights/metrics?api-version=2024-02-01", armToken);

        Assert.AreEqual(400, version.Status, version.Text);
        Assert.AreEqual(404, missing.Status, missing.Text);
    }
}
