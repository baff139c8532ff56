using System.Collections.Concurrent;
using EdgeKv.Emulator.Admin;

namespace EdgeKv.Emulator.EventGrid;

/// <summary>Every Event Grid delivery attempt (handshakes included), most recent last, in memory and bounded.</summary>
internal sealed class DeliveryLog
{
    private const int Capacity = 20_000;
    private readonly ConcurrentQueue<EventDeliveryEntry> entries = new();

    public void Add(EventDeliveryEntry entry)
    {
        entries.Enqueue(entry);
        while (entries.Count > Capacity && entries.TryDequeue(out _))
        {
        }

    }

    public IReadOnlyList<EventDeliveryEntry> List(string? subscriptionName) =>
        entries.Where(e => subscriptionName is null || e.SubscriptionId.EndsWith("/" + subscriptionName,
            StringComparison.OrdinalIgnoreCase)).ToList();

    public void Clear() => entries.Clear();
}
