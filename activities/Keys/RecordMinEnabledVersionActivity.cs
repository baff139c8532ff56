using EdgeKv.Tasks;
using EdgeKv.Records.Keys;
using Microsoft.DurableTask;

namespace EdgeKv.Activities.Keys;

/// <summary>
/// Records the key's minimum enabled version once every vault holding it has applied it; answers the key's state.
/// </summary>
[DurableTask(Name)]
public sealed class RecordMinEnabledVersionActivity(KeyStore store) : TaskActivity<MinEnabledVersionRequest, KeyFlowOutcome>
{
    public const string Name = "RecordMinEnabledVersion";

    public override async Task<KeyFlowOutcome> RunAsync(TaskActivityContext context, MinEnabledVersionRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        KeyRecord key = await store.UpdateKeyAsync(input.KeyName,
            k => k with { MinEnabledVersion = input.MinEnabledVersion }, context.CancellationToken)
            ?? throw new ActivationRefusedException("KeyNotFound", $"EdgeKv has no key named '{input.KeyName}'.");
        IReadOnlyList<KeyDistributionRecord> at = await store.ListDistributionsOfKeyAsync(key.Name,
            context.CancellationToken);
        return new KeyFlowOutcome(key.Name, key.LatestVersion, key.MinEnabledVersion, [.. at.Select(d => d.KmsName)],
            $"Versions of '{key.Name}' below {key.MinEnabledVersion} are disabled in {at.Count} vault(s).");
    }
}
