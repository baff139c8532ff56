namespace EdgeKv.Emulator.Hosting;

/// <summary>Serializes changes to emulator state: Resource Manager requests and admin damage take turns.</summary>
internal sealed class StateGate : IDisposable
{
    private readonly SemaphoreSlim semaphore = new(1, 1);

    public async Task<Releaser> EnterAsync(CancellationToken cancellationToken)
    {
        await semaphore.WaitAsync(cancellationToken);
        return new Releaser(semaphore);
    }

    public void Dispose() => semaphore.Dispose();

    internal readonly struct Releaser(SemaphoreSlim semaphore) : IDisposable
    {
        public void Dispose() => semaphore.Release();
    }
}
