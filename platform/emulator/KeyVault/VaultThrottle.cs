using System.Collections.Concurrent;
using EdgeKv.Emulator.Hosting;

namespace EdgeKv.Emulator.KeyVault;

/// <summary>
/// Key Vault's service limit per vault: at most <c>limit</c> transactions per window (Azure: 4,000 per 10 seconds),
/// counted in fixed windows of the emulator clock. Past the limit a request is refused with 429 and <c>Retry-After</c>.
/// </summary>
internal sealed class VaultThrottle(int limit, TimeSpan window, EmulatorClock clock)
{
    private readonly ConcurrentDictionary<string, Counter> counters = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Counts one transaction; returns null when admitted, or how long until the next window.</summary>
    public TimeSpan? TryAdmit(string vault)
    {
        var now = clock.GetUtcNow();
        var windowIndex = now.UtcTicks / window.Ticks;
        var counter = counters.GetOrAdd(vault, _ => new Counter());
        lock (counter)
        {
            if (counter.Window != windowIndex)
            {
                counter.Window = windowIndex;
                counter.Count = 0;
            }

            if (counter.Count >= limit)
            {
                return new DateTimeOffset((windowIndex + 1) * window.Ticks, TimeSpan.Zero) - now;
            }

            counter.Count++;
            return null;
        }
    }

    private sealed class Counter
    {
        public long Window { get; set; } = -1;

        public int Count { get; set; }
    }
}
