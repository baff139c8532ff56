namespace EdgeKv.Emulator.Hosting;

/// <summary>
/// Orders access to emulator state: reads share it, changes (Resource Manager and data-plane writes, admin damage)
/// have it alone, so a check-then-write such as "name free, then create" is never interleaved with another change.
/// A waiting change holds the turnstile, so new reads queue behind it and changes are not starved by a stream of reads.
/// Reads may still tidy up lazily (completing a due operation, dropping an overdue soft-deleted object): such changes
/// are idempotent, so two reads doing the same one is harmless.
/// </summary>
internal sealed class StateGate : IDisposable
{
    private readonly SemaphoreSlim turnstile = new(1, 1);
    private readonly Lock sync = new();
    private int readers;
    private TaskCompletionSource? drained;

    public async Task<Releaser> EnterReadAsync(CancellationToken cancellationToken)
    {
        await turnstile.WaitAsync(cancellationToken);
        lock (sync)
        {
            readers++;
        }

        turnstile.Release();
        return new Releaser(this, write: false);
    }

    public async Task<Releaser> EnterWriteAsync(CancellationToken cancellationToken)
    {
        await turnstile.WaitAsync(cancellationToken);
        try
        {
            Task wait;
            lock (sync)
            {
                if (readers == 0)
                {
                    wait = Task.CompletedTask;
                }
                else
                {
                    drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    wait = drained.Task;
                }
            }

            await wait.WaitAsync(cancellationToken);
            return new Releaser(this, write: true);
        }
        catch
        {
            lock (sync)
            {
                drained = null;
            }

            turnstile.Release();
            throw;
        }
    }

    /// <summary>Reads for GET and HEAD, a change for every other method.</summary>
    public Task<Releaser> EnterAsync(string method, CancellationToken cancellationToken) =>
        HttpMethodIsRead(method) ? EnterReadAsync(cancellationToken) : EnterWriteAsync(cancellationToken);

    public void Dispose() => turnstile.Dispose();

    private static bool HttpMethodIsRead(string method) =>
        string.Equals(method, "GET", StringComparison.OrdinalIgnoreCase) || string.Equals(method, "HEAD",
            StringComparison.OrdinalIgnoreCase);

    private void ExitRead()
    {
        lock (sync)
        {
            readers--;
            if (readers == 0 && drained is { } waiting)
            {
                drained = null;
                waiting.SetResult();
            }
        }
    }

    internal readonly struct Releaser(StateGate gate, bool write) : IDisposable
    {
        public void Dispose()
        {
            if (write)
            {
                gate.turnstile.Release();
            }
            else
            {
                gate.ExitRead();
            }
        }
    }
}
