namespace EdgeKv.Durable.Sqlite;

/// <summary>
/// A wake-up for pollers in this process: <see cref="Set"/> ends the current wait of everyone waiting. Other
/// processes' writes are not signalled; pollers find them on their next poll.
/// </summary>
internal sealed class AsyncSignal
{
    private TaskCompletionSource _current = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// The task the next <see cref="Set"/> completes; take it before checking the queue, then wait on it.
    /// </summary>
    public Task WaitHandle => Volatile.Read(ref _current).Task;

    public void Set() => Interlocked.Exchange(ref _current,
        new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>
    /// Waits for <paramref name="handle"/> or <paramref name="delay"/>, whichever comes first; true if signalled.
    /// </summary>
    public static async Task<bool> WaitAsync(Task handle, TimeSpan delay, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (handle.IsCompleted) return true;

        // One timer-backed promise per wait, nothing thrown on a timeout (a linked token source, a delay task and
        // WhenAny cost three times the allocations on every wake-up of a busy session).
        await handle.WaitAsync(delay, time, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        cancellationToken.ThrowIfCancellationRequested();
        return handle.IsCompleted;
    }
}
