namespace EdgeKv.Durable.Sqlite;

/// <summary>
/// Group commit for a database with one writer: writes that arrive while a commit is in flight wait and share the
/// next transaction, so concurrency turns into fewer, larger commits instead of a queue of small ones. The caller
/// that finds the writer idle becomes it and commits batches until the queue is empty.
/// </summary>
internal sealed class GroupCommitQueue<TWork>(int maxBatch,
    Func<IReadOnlyList<TWork>, Task<WriteOutcome[]>> commitBatch)
{
    private readonly Queue<(TWork Work, TaskCompletionSource<object?> Done)> _queue = new();
    private bool _writerActive;

    public async Task<object?> WriteAsync(TWork work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var done = new TaskCompletionSource<object?>(TaskCreationOptions.RunContinuationsAsynchronously);
        bool lead;
        lock (_queue)
        {
            _queue.Enqueue((work, done));
            lead = !_writerActive;
            _writerActive = true;
        }

        if (lead) await CommitQueuedAsync();
        return await done.Task;
    }

    private async Task CommitQueuedAsync()
    {
        while (true)
        {
            List<(TWork Work, TaskCompletionSource<object?> Done)> batch;
            lock (_queue)
            {
                if (_queue.Count == 0)
                {
                    _writerActive = false;
                    return;
                }

                batch = new List<(TWork, TaskCompletionSource<object?>)>(Math.Min(maxBatch, _queue.Count));
                while (batch.Count < maxBatch && _queue.Count > 0) batch.Add(_queue.Dequeue());
            }

            WriteOutcome[] outcomes;
            try
            {
                outcomes = await commitBatch([.. batch.Select(b => b.Work)]);
            }
            catch (Exception ex)
            {
                outcomes = [.. batch.Select(_ => new WriteOutcome(null, ex))];
            }

            for (int i = 0; i < batch.Count; i++)
            {
                if (outcomes[i].Error is { } error) batch[i].Done.TrySetException(error);
                else batch[i].Done.TrySetResult(outcomes[i].Result);
            }
        }
    }
}

/// <summary>What one write of a group commit returned, or why it failed (its own changes were rolled back).</summary>
internal readonly record struct WriteOutcome(object? Result, Exception? Error);
