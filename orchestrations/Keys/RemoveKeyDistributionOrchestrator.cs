using EdgeKv.Activities.Keys;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace EdgeKv.Orchestrations.Keys;

/// <summary>
/// Remove a key from a KMS provider: deleted in the vault (soft-delete applies there), then forgotten.
/// </summary>
[DurableTask(Name)]
public sealed class RemoveKeyDistributionOrchestrator : TaskOrchestrator<DistributionStep?, KeyFlowOutcome>
{
    public const string Name = "RemoveKeyDistribution";

    public override async Task<KeyFlowOutcome> RunAsync(TaskOrchestrationContext context, DistributionStep? input)
    {
        ArgumentNullException.ThrowIfNull(context);
        OrchestrationInputs.Require(input, KeyFlowInputs.Problem(input));
        ILogger log = context.CreateReplaySafeLogger<RemoveKeyDistributionOrchestrator>();
        bool removed = await context.CallActivityAsync<bool>(RemoveKeyDistributionActivity.Name, input,
            KeyCallPolicies.VaultCalls);
        KeyFlowLogs.Removed(log, input.KeyName, input.KmsName);
        return new KeyFlowOutcome(input.KeyName, 0, 0, [], removed
            ? $"Key '{input.KeyName}' removed from '{input.KmsName}' (deleted in the vault; recoverable there within its soft-delete retention)."
            : $"Key '{input.KeyName}' was not distributed to '{input.KmsName}'.");
    }
}
