using global::Azure.Core;
using global::Azure.Monitor.Query;
using global::Azure.Monitor.Query.Models;

namespace EdgeKv.Azure.Monitoring;

/// <summary>
/// Reads a key vault's platform metrics (ServiceApiHit, ServiceApiLatency, ServiceApiResult, Availability) through
/// Azure.Monitor.Query's <see cref="MetricsQueryClient"/>, as the portal's Key Vault insights charts them: hits,
/// average and maximum latency, results split by status class, and availability per interval. Two queries: one for the
/// unsplit metrics, one for results split by <c>StatusCodeClass</c> (a split applies to every metric of a query).
/// </summary>
public sealed class VaultMetricsClient(MetricsQueryClient client)
{
    public const string Namespace = "Microsoft.KeyVault/vaults";

    public async Task<VaultMetricsSeries> GetAsync(string vaultResourceId, DateTimeOffset from, DateTimeOffset to,
        TimeSpan interval,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(vaultResourceId);
        var range = new QueryTimeRange(from, to);
        var overall = (await client.QueryResourceAsync(new ResourceIdentifier(vaultResourceId),
            ["ServiceApiHit", "ServiceApiLatency", "Availability"],
            new MetricsQueryOptions
            {
                TimeRange = range,
                Granularity = interval,
                MetricNamespace = Namespace,
                Aggregations = { MetricAggregationType.Count, MetricAggregationType.Average,
                    MetricAggregationType.Maximum },
            }, cancellationToken)).Value;
        var results = (await client.QueryResourceAsync(new ResourceIdentifier(vaultResourceId), ["ServiceApiResult"],
            new MetricsQueryOptions
        {
            TimeRange = range,
            Granularity = interval,
            MetricNamespace = Namespace,
            Aggregations = { MetricAggregationType.Count },
            Filter = "StatusCodeClass eq '*'",
        }, cancellationToken)).Value;

        var hits = Values(overall, "ServiceApiHit");
        var latency = Values(overall, "ServiceApiLatency");
        var availability = Values(overall, "Availability");
        var byClass = new Dictionary<DateTimeOffset, Dictionary<string, long>>();
        foreach (var series in results.Metrics.Where(m => m.Name == "ServiceApiResult").SelectMany(m => m.TimeSeries))
        {
            var statusClass = series.Metadata.FirstOrDefault(m => m.Key.Equals("StatusCodeClass",
                StringComparison.OrdinalIgnoreCase)).Value ?? "all";
            foreach (var value in series.Values.Where(v => v.Count is > 0))
            {
                if (!byClass.TryGetValue(value.TimeStamp, out var classes)) byClass[value.TimeStamp] = classes = [];
                classes[statusClass] = classes.GetValueOrDefault(statusClass) + (long)value.Count!.Value;
            }
        }

        var points = hits.Keys.Union(latency.Keys).Union(availability.Keys).Union(byClass.Keys).Order()
            .Select(time => new VaultMetricPoint(time,
                (long)(hits.GetValueOrDefault(time)?.Count ?? 0),
                latency.GetValueOrDefault(time)?.Average,
                latency.GetValueOrDefault(time)?.Maximum,
                byClass.TryGetValue(time, out var classes) ? classes.OrderBy(c => c.Key,
                    StringComparer.Ordinal).ToDictionary(StringComparer.Ordinal) : new Dictionary<string, long>(),
                availability.GetValueOrDefault(time)?.Average))
            .ToList();
        return new VaultMetricsSeries(from, to, overall.Granularity ?? interval, points);
    }

    private static Dictionary<DateTimeOffset, MetricValue> Values(MetricsQueryResult result, string metric) =>
        result.Metrics.Where(m => m.Name == metric).SelectMany(m => m.TimeSeries).SelectMany(s => s.Values)
            .GroupBy(v => v.TimeStamp).ToDictionary(g => g.Key, g => g.First());
}
