namespace EdgeKv.Durable.Worker;

/// <summary>
/// Wakes an idle dispatcher when this process queues work, so in-process steps do not wait for a poll.
/// Work queued by other processes is found by the dispatcher's bounded polling.
/// </summary>
internal sealed class WorkSignal
{
    private TaskCompletionSource _next = NewSource();

    public void Set() => Interlocked.Exchange(ref _next, NewSource()).TrySetResult();

    /// <summary>Waits until <see cref="Set"/> is called or <paramref name="timeout"/> passes.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        Task signalled = Volatile.Read(ref _next).Task;
        await Task.WhenAny(signalled, Task.Delay(timeout, cancellationToken));
    }

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
