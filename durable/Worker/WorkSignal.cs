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

    /// <summary>Waits until <paramref name="snapshot"/> completes or <paramref name="timeout"/> passes.</summary>
    public static async Task WaitAsync(Task snapshot, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (snapshot.IsCompleted) return;
        using var delay = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task winner = await Task.WhenAny(snapshot, Task.Delay(timeout, delay.Token));
        if (winner == snapshot) await delay.CancelAsync();
        cancellationToken.ThrowIfCancellationRequested();
    }

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
