namespace EdgeKv.Durable.Worker;

/// <summary>
/// Wakes an idle dispatcher when this process queues work, so in-process steps do not wait for a poll.
/// Work queued by other processes is found by the dispatcher's bounded polling. A dispatcher takes a
/// <see cref="Snapshot"/> before it looks at the store, so a signal raised in between is not lost.
/// </summary>
internal sealed class WorkSignal
{
    private TaskCompletionSource _next = NewSource();

    /// <summary>Completes at the next <see cref="Set"/> after this call.</summary>
    public Task Snapshot() => Volatile.Read(ref _next).Task;

    public void Set() => Interlocked.Exchange(ref _next, NewSource()).TrySetResult();

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
