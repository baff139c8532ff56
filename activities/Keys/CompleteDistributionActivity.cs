using EdgeKv.Durable;
using EdgeKv.Records.Keys;
using Microsoft.DurableTask;

namespace EdgeKv.Activities.Keys;

/// <summary>Last step of a distribution: every version is in the vault, so the distribution is recorded as done.</summary>
[DurableTask(Name)]
public sealed class CompleteDistributionActivity(KeyStore store) : TaskActivity<DistributionStep, bool>
{
    public const string Name = "CompleteKeyDistribution";

    public override async Task<bool> RunAsync(TaskActivityContext context, DistributionStep input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return await store.UpdateDistributionAsync(input.KmsName, input.KeyName, r => r with { State = DistributionState.Distributed }, context.CancellationToken) is not null;
    }
}
