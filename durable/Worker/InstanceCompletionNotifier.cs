using System.Collections.Concurrent;

namespace EdgeKv.Durable.Worker;

/// <summary>Tells in-process waiters that an instance changed state, so waiting for completion does not poll in a loop.</summary>
internal sealed class InstanceCompletionNotifier
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _waiters = new(StringComparer.Ordinal);

    public Task WaitForChangeAsync(string instanceId)
        => _waiters.GetOrAdd(instanceId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public void NotifyChanged(string instanceId)
    {
        if (_waiters.TryRemove(instanceId, out TaskCompletionSource? waiter)) waiter.TrySetResult();
    }
}
