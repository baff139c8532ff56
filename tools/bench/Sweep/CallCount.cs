using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace EdgeKv.Bench.Sweep;

/// <summary>
/// Outgoing HTTP requests of this process by destination while it is listening (.NET's own
/// <c>http.client.request.duration</c> instrument, tagged with the server's port): how many went to Azurite (the
/// durable hub and EdgeKv's stores), to Resource Manager (the emulator's port) and to the vaults' ports, and the time
/// they took summed (requests overlap, so a sum is busy time across the concurrent requests, not elapsed time).
/// </summary>
internal sealed class CallCount : IDisposable
{
    private readonly MeterListener listener = new();
    private readonly ConcurrentDictionary<string, (int Count, double Seconds)> byKind = new(StringComparer.Ordinal);
    private readonly Func<int, string> kindOf;

    public CallCount(Func<int, string> kindOf)
    {
        this.kindOf = kindOf;
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "System.Net.Http" && instrument.Name == "http.client.request.duration") l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<double>(OnMeasurement);
        listener.Start();
    }

    /// <summary>The counts since the last call, as one line, and starts counting again.</summary>
    public string TakeAndReset()
    {
        var parts = byKind.OrderBy(kv => kv.Key,
            StringComparer.Ordinal).Select(kv => $"{kv.Key} {kv.Value.Count:N0} requests / {kv.Value.Seconds:F1} s");
        string line = string.Join(", ", parts);
        byKind.Clear();
        return line;
    }

    public void Dispose() => listener.Dispose();

    private void OnMeasurement(Instrument instrument, double seconds,
        ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        int port = 0;
        foreach (var tag in tags)
        {
            if (tag.Key == "server.port" && tag.Value is int p) port = p;
        }

        byKind.AddOrUpdate(kindOf(port), (1, seconds), (_, old) => (old.Count + 1, old.Seconds + seconds));
    }
}
