using EdgeKv.Tasks;
using EdgeKv.Records.Keys;
using Microsoft.DurableTask;

namespace EdgeKv.Activities.Keys;

/// <summary>
/// The key's latest version as EdgeKv holds it now, for a distribution to end with what a rotation made meanwhile.
/// </summary>
[DurableTask(Name)]
public sealed class ReadLatestKeyVersionActivity(KeyStore store) : TaskActivity<string, int>
{
    public const string Name = "ReadLatestKeyVersion";

    public override async Task<int> RunAsync(TaskActivityContext context, string input) =>
        (await store.GetKeyAsync(input, context.CancellationToken))?.LatestVersion
        ?? throw new ActivationRefusedException("KeyNotFound", $"EdgeKv has no key named '{input}'.");
}
