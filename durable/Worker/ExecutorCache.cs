namespace EdgeKv.Durable.Worker;

/// <summary>
/// Keeps the replayed state of running instances between episodes (Durable Functions' extended sessions),
/// so an instance of N steps costs N episodes, not N replays of a growing history. Bounded; least recently
/// used first out. An entry is used only when its history length matches the store's.
/// </summary>
internal sealed class ExecutorCache(int capacity)
{
    private readonly Dictionary<string, LinkedListNode<(string Id, OrchestrationExecutor Executor)>> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Id, OrchestrationExecutor Executor)> _order = new();
    private readonly Lock _lock = new();

    public OrchestrationExecutor? Take(string instanceId, string executionId, int historyCount)
    {
        lock (_lock)
        {
            if (!_entries.Remove(instanceId, out var node)) return null;
            _order.Remove(node);
            OrchestrationExecutor executor = node.Value.Executor;
            return executor.ExecutionId == executionId && executor.AppliedHistoryCount == historyCount ? executor : null;
        }
    }

    public void Put(string instanceId, OrchestrationExecutor executor)
    {
        if (capacity <= 0) return;
        lock (_lock)
        {
            if (_entries.Remove(instanceId, out var existing)) _order.Remove(existing);
            _entries[instanceId] = _order.AddFirst((instanceId, executor));
            while (_entries.Count > capacity && _order.Last is { } oldest)
            {
                _order.RemoveLast();
                _entries.Remove(oldest.Value.Id);
            }
        }
    }
}
