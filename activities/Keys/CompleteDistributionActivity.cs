using EdgeKv.Tasks;
using EdgeKv.Records.Alerts;
using EdgeKv.Records.Keys;
using Microsoft.DurableTask;

namespace EdgeKv.Activities.Keys;

/// <summary>
/// Last step of a distribution (or of its heal): every version is in the vault as it should be, so the distribution is
/// recorded as done and a drift alert on it is resolved.
/// </summary>
[DurableTask(Name)]
public sealed class CompleteDistributionActivity(KeyStore store,
    AlertStore alerts) : TaskActivity<DistributionStep, bool>
{
    public const string Name = "CompleteKeyDistribution";

    public override async Task<bool> RunAsync(TaskActivityContext context, DistributionStep input)
    {
        ArgumentNullException.ThrowIfNull(input);
        KeyDistributionRecord? done = await store.UpdateDistributionAsync(input.KmsName, input.KeyName,
            r => r with { State = DistributionState.Distributed }, context.CancellationToken);
        if (done is null) return false;
        await alerts.ResolveAsync(CheckKeyDistributionsActivity.AlertResource(done.KmsName, done.KeyName),
            [AlertKind.KeyDistributionDrift], context.CancellationToken);
        return true;
    }
}
