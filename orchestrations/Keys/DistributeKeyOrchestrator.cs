using EdgeKv.Activities.Keys;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace EdgeKv.Orchestrations.Keys;

/// <summary>
/// Distribute a key to a KMS provider: checked and recorded as in progress (premium vault for <c>hsm</c>), every
/// enabled version imported oldest first (so the latest is current) with the purpose's operations, then recorded as
/// done. A rotation running meanwhile may have made a version the plan did not have, or imported its version here
/// before this flow's older ones: the flow ends by importing up to the key's latest version, which the import makes
/// current.
/// </summary>
[DurableTask(Name)]
public sealed class DistributeKeyOrchestrator : TaskOrchestrator<DistributeKeyRequest?, KeyFlowOutcome>
{
    public const string Name = "DistributeKey";

    public override async Task<KeyFlowOutcome> RunAsync(TaskOrchestrationContext context, DistributeKeyRequest? input)
    {
        ArgumentNullException.ThrowIfNull(context);
        OrchestrationInputs.Require(input, KeyFlowInputs.Problem(input));
        ILogger log = context.CreateReplaySafeLogger<DistributeKeyOrchestrator>();
        context.SetCustomStatus("Checking the key, the provider and its vault");
        DistributionPlan plan = await context.CallActivityAsync<DistributionPlan>(PrepareDistributionActivity.Name,
            input, KeyCallPolicies.VaultCalls);
        foreach (int version in plan.Versions)
        {
            context.SetCustomStatus($"Importing version {version} ({input.Protection})");
            await context.CallActivityAsync<ImportedVersion>(ImportKeyVersionActivity.Name,
                new KeyVersionStep(plan.KeyName, plan.KmsName, version), KeyCallPolicies.VaultCalls);
        }

        int planned = plan.Versions.Count == 0 ? 0 : plan.Versions[^1];
        int latest = await context.CallActivityAsync<int>(ReadLatestKeyVersionActivity.Name, plan.KeyName,
            KeyCallPolicies.StoreCalls);
        for (int version = planned + 1; version <= latest; version++)
        {
            context.SetCustomStatus($"Importing version {version} ({input.Protection}), made by a rotation meanwhile");
            await context.CallActivityAsync<ImportedVersion>(ImportKeyVersionActivity.Name,
                new KeyVersionStep(plan.KeyName, plan.KmsName, version), KeyCallPolicies.VaultCalls);
        }

        await context.CallActivityAsync<bool>(CompleteDistributionActivity.Name,
            new DistributionStep(plan.KeyName, plan.KmsName), KeyCallPolicies.StoreCalls);
        context.SetCustomStatus(null);
        KeyFlowLogs.Distributed(log, plan.KeyName, plan.KmsName, string.Join(',', plan.Versions));
        return new KeyFlowOutcome(plan.KeyName, latest, plan.Versions.Count == 0 ? 0 : plan.Versions[0], [plan.KmsName],
            $"Key '{plan.KeyName}' distributed to '{plan.KmsName}' for {string.Join(", ", input.Purpose)} ({input.Protection}); current version {latest}.");
    }
}
