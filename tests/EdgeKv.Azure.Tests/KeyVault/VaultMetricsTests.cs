using Azure;
using EdgeKv.Azure.Monitoring;
using EdgeKv.Azure.Vaults;

namespace EdgeKv.Azure.Tests.KeyVault;

/// <summary>
/// The vault's platform metrics through Azure.Monitor.Query's MetricsQueryClient (libraries/azure/'s
/// VaultMetricsClient) against the emulator over HTTPS: secret reads show as ServiceApiHit, results by status class,
/// latency and availability.
/// </summary>
[TestClass]
public sealed class VaultMetricsTests
{
    private const string ResourceGroup = "rg-vault-metrics";

    [TestMethod]
    public async Task SecretReads_AreCountedAsServiceApiHits_WithResultsLatencyAndAvailability()
    {
        var emulator = TestEmulator.Shared;
        var factory = TestEmulator.Factory(emulator);
        VaultProperties vault = await DataPlaneVaults.CreateAsync(emulator, ResourceGroup,
            TestEmulator.UniqueName("kvmet"));
        var secrets = factory.CreateSecretClient(vault.VaultUri!);
        var from = DateTimeOffset.UtcNow.AddMinutes(-5);
        await secrets.SetSecretAsync("s1", "v1");
        const int reads = 7;
        for (var i = 0; i < reads; i++)
        {
            await secrets.GetSecretAsync("s1");
        }

        var missing = await Assert.ThrowsExactlyAsync<RequestFailedException>(() => secrets.GetSecretAsync("absent"));
        Assert.AreEqual(404, missing.Status);

        var series = await factory.CreateVaultMetricsClient().GetAsync(vault.Id, from,
            DateTimeOffset.UtcNow.AddMinutes(5), TimeSpan.FromMinutes(1));

        // One set, seven reads and one read of a missing secret: nine authenticated requests.
        Assert.AreEqual(reads + 2, series.TotalHits, string.Join('\n', series.Points.Where(p => p.Hits > 0)));
        Assert.AreEqual(reads + 1L, series.TotalResultsByClass["2xx"]);
        Assert.AreEqual(1L, series.TotalResultsByClass["4xx"]);
        var busy = series.Points.Where(p => p.Hits > 0).ToList();
        Assert.IsTrue(busy.All(p => p.LatencyAverageMs >= 0 && p.LatencyMaxMs >= p.LatencyAverageMs && p.Availability == 100), string.Join('\n', busy));
        Assert.IsTrue(series.Points.Where(p => p.Hits == 0).All(p => p.LatencyAverageMs is null && p.Availability is null));
        Assert.AreEqual(TimeSpan.FromMinutes(1), series.Interval);
        var sent = await emulator.Admin.GetRequestsAsync(pathContains: vault.Id + "/providers/Microsoft.Insights/metrics");
        Assert.IsTrue(sent.Count >= 2 && sent.All(r => r.Query.Contains("api-version=2023-10-01",
            StringComparison.Ordinal)),
            "MetricsQueryClient 1.7.1 sends 2023-10-01: " + string.Join('\n', sent.Select(r => r.Query)));
    }

    [TestMethod]
    public async Task SecretGetHits_FilteredByActivityName_CountTheReadsOnly()
    {
        var emulator = TestEmulator.Shared;
        var factory = TestEmulator.Factory(emulator);
        VaultProperties vault = await DataPlaneVaults.CreateAsync(emulator, ResourceGroup,
            TestEmulator.UniqueName("kvmetb"));
        var secrets = factory.CreateSecretClient(vault.VaultUri!);
        var from = DateTimeOffset.UtcNow.AddMinutes(-5);
        await secrets.SetSecretAsync("s1", "v1");
        for (var i = 0; i < 4; i++)
        {
            await secrets.GetSecretAsync("s1");
        }

        var query = new global::Azure.Monitor.Query.MetricsQueryClient(factory.ManagementEndpoint, factory.Credential,
            new global::Azure.Monitor.Query.MetricsQueryClientOptions
        {
            Transport = factory.Transport,
        });
        var result = (await query.QueryResourceAsync(new global::Azure.Core.ResourceIdentifier(vault.Id),
            ["ServiceApiHit"], new global::Azure.Monitor.Query.MetricsQueryOptions
        {
            TimeRange = new global::Azure.Monitor.Query.QueryTimeRange(from, DateTimeOffset.UtcNow.AddMinutes(5)),
            Granularity = TimeSpan.FromHours(1),
            Filter = "ActivityName eq 'secretget'",
            Aggregations = { global::Azure.Monitor.Query.Models.MetricAggregationType.Total },
        })).Value;

        var total = result.Metrics.Single().TimeSeries.SelectMany(s => s.Values).Sum(v => v.Total ?? 0);
        Assert.AreEqual(4, total);
    }
}
