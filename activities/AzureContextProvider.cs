namespace EdgeKv.Activities;

/// <summary>
/// Hands out the <see cref="AzureContext"/> once the host has it (in local mode, once the emulator has started).
/// Activities and APIs await it, so nothing reaches Azure before it is configured.
/// </summary>
public sealed class AzureContextProvider
{
    private readonly TaskCompletionSource<AzureContext> context = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Set(AzureContext value) => context.TrySetResult(value);

    public void Fail(Exception error) => context.TrySetException(error);

    public Task<AzureContext> GetAsync(CancellationToken cancellationToken = default) => context.Task.WaitAsync(cancellationToken);
}
