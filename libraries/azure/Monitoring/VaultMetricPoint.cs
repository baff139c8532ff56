namespace EdgeKv.Azure.Monitoring;

/// <summary>
/// One interval of a vault's platform metrics (Azure Monitor, Microsoft.KeyVault/vaults): service API hits, latency
/// (average and maximum, milliseconds; null when nothing was served), results by status class and availability
/// (percent; null when nothing was served).
/// </summary>
public sealed record VaultMetricPoint(
    DateTimeOffset Time, long Hits, double? LatencyAverageMs, double? LatencyMaxMs,
    IReadOnlyDictionary<string, long> ResultsByClass, double? Availability);
