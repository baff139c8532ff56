namespace EdgeKv.Durable.Sqlite;

/// <summary>
/// A wake-up for pollers in this process: <see cref="Set"/> ends the current wait of everyone waiting. Other
/// processes' writes are not signalled; pollers find them on their next poll.
/// </summary>
internal sealed class AsyncSignal
{
    private TaskCompletionSource _current = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The task the next <see cref="Set"/> completes; take it before checking the queue, then wait on it.</summary>
    public Task WaitHandle => Volatile.Read(ref _current).Task;

    public void Set() => Interlocked.Exchange(ref _current, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>Waits for <paramref name="handle"/> or <paramref name="delay"/>, whichever comes first; true if signalled.</summary>
    public static async Task<bool> WaitAsync(Task handle, TimeSpan delay, TimeProvider time, CancellationToken cancellationToken)
    {
        if (handle.IsCompleted) return true;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task timeout = Task.Delay(delay, time, cts.Token);
        Task first = await Task.WhenAny(handle, timeout);

        // Synchronous cancel: it only stops the timer, and CancelAsync would cost a thread-pool hop per wake-up.
        cts.Cancel();
        cancellationToken.ThrowIfCancellationRequested();
        return first == handle;
    }
}
