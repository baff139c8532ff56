namespace EdgeKv.Azure.Monitoring;

/// <summary>A vault's platform metrics over a window at one interval, oldest first, with the window's totals.</summary>
public sealed record VaultMetricsSeries(DateTimeOffset From, DateTimeOffset To, TimeSpan Interval,
    IReadOnlyList<VaultMetricPoint> Points)
{
    public long TotalHits => Points.Sum(p => p.Hits);

    public IReadOnlyDictionary<string, long> TotalResultsByClass =>
        Points.SelectMany(p => p.ResultsByClass).GroupBy(r => r.Key, StringComparer.Ordinal).OrderBy(g => g.Key,
            StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(r => r.Value), StringComparer.Ordinal);
}
