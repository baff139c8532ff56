using System.Collections.Concurrent;

namespace EdgeKv.Emulator.Admin;

/// <summary>The most recent requests served (in memory, bounded).</summary>
internal sealed class RequestLog
{
    private const int Capacity = 20_000;
    private readonly ConcurrentQueue<RequestLogEntry> entries = new();

    public void Add(RequestLogEntry entry)
    {
        entries.Enqueue(entry);
        while (entries.Count > Capacity && entries.TryDequeue(out _))
        {
        }
    }

    public IReadOnlyList<RequestLogEntry> Query(string? method, string? pathContains, int? status, Guid? callerObjectId,
        DateTimeOffset? since) =>
        entries.Where(e =>
                (method is null || e.Method.Equals(method, StringComparison.OrdinalIgnoreCase)) &&
                (pathContains is null || e.Path.Contains(pathContains, StringComparison.OrdinalIgnoreCase)) &&
                (status is null || e.Status == status) &&
                (callerObjectId is null || e.CallerObjectId == callerObjectId) &&
                (since is null || e.Time >= since))
            .ToList();

    public void Clear() => entries.Clear();
}
