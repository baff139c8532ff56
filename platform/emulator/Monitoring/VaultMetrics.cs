using System.Collections.Concurrent;

namespace EdgeKv.Emulator.Monitoring;

/// <summary>
/// Key Vault's platform metrics as Azure Monitor keeps them: one-minute aggregates per vault and dimension set
/// (activity type and name, status code), taken from the data-plane requests the emulator has served. Held in memory
/// for Azure's 93 days of metric retention; a restarted emulator starts with none, as a new vault does.
/// </summary>
internal sealed class VaultMetrics(Hosting.EmulatorClock clock)
{
    public static readonly TimeSpan Retention = TimeSpan.FromDays(93);

    private readonly ConcurrentDictionary<string, VaultMinutes> vaults = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Records one served request: its minute, what it was (<c>secret</c>/<c>secretget</c>), its status and latency.
    /// </summary>
    public void Record(string vaultId, string activityType, string activityName, int statusCode, TimeSpan latency)
    {
        var now = clock.GetUtcNow();
        var minute = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero);
        var dimensions = new MetricDimensions(activityType, activityName, statusCode);
        vaults.GetOrAdd(vaultId, _ => new VaultMinutes()).Add(minute, dimensions, latency.TotalMilliseconds,
            now - Retention);
    }

    /// <summary>The minute aggregates of a vault in <c>[from, to)</c>.</summary>
    public IReadOnlyList<MinuteAggregate> Query(string vaultId, DateTimeOffset from, DateTimeOffset to) =>
        vaults.TryGetValue(vaultId, out var minutes) ? minutes.Between(from, to) : [];

    /// <summary>One vault's minutes; a lock per vault keeps recording cheap and reading consistent.</summary>
    private sealed class VaultMinutes
    {
        private readonly Lock gate = new();
        private readonly SortedDictionary<DateTimeOffset, Dictionary<MetricDimensions, MinuteAggregate>> byMinute = [];

        public void Add(DateTimeOffset minute, MetricDimensions dimensions, double latencyMs, DateTimeOffset oldest)
        {
            lock (gate)
            {
                if (!byMinute.TryGetValue(minute, out var sets))
                {
                    byMinute[minute] = sets = [];
                    while (byMinute.Count > 0 && byMinute.Keys.First() < oldest)
                    {
                        byMinute.Remove(byMinute.Keys.First());
                    }
                }

                sets[dimensions] = sets.TryGetValue(dimensions, out var aggregate)
                    ? aggregate with
                    {
                        Count = aggregate.Count + 1,
                        LatencySumMs = aggregate.LatencySumMs + latencyMs,
                        LatencyMinMs = Math.Min(aggregate.LatencyMinMs, latencyMs),
                        LatencyMaxMs = Math.Max(aggregate.LatencyMaxMs, latencyMs),
                    }
                    : new MinuteAggregate(minute, dimensions, 1, latencyMs, latencyMs, latencyMs);
            }
        }

        public IReadOnlyList<MinuteAggregate> Between(DateTimeOffset from, DateTimeOffset to)
        {
            lock (gate)
            {
                return [.. byMinute.Where(m => m.Key >= from && m.Key < to).SelectMany(m => m.Value.Values)];
            }
        }
    }
}
