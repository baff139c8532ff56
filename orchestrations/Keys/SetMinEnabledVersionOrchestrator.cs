using EdgeKv.Activities.Keys;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace EdgeKv.Orchestrations.Keys;

/// <summary>
/// Change a key's minimum enabled version: in every vault holding the key, older versions disabled (and newer ones
/// enabled), then the key's record changed, once every vault has it.
/// </summary>
[DurableTask(Name)]
public sealed class SetMinEnabledVersionOrchestrator : TaskOrchestrator<MinEnabledVersionRequest?, KeyFlowOutcome>
{
    public const string Name = "SetMinEnabledVersion";

    public override async Task<KeyFlowOutcome> RunAsync(TaskOrchestrationContext context,
        MinEnabledVersionRequest? input)
    {
        ArgumentNullException.ThrowIfNull(context);
        OrchestrationInputs.Require(input, KeyFlowInputs.Problem(input));
        ILogger log = context.CreateReplaySafeLogger<SetMinEnabledVersionOrchestrator>();
        IReadOnlyList<string> providers = await context.CallActivityAsync<IReadOnlyList<string>>(ListKeyProvidersActivity.Name, input.KeyName, KeyCallPolicies.StoreCalls);
        context.SetCustomStatus($"Applying minEnabledVersion {input.MinEnabledVersion} in {providers.Count} vault(s)");
        await Task.WhenAll(providers.Select(kms =>
            context.CallActivityAsync<int>(ApplyMinEnabledVersionActivity.Name,
                new MinEnabledVersionStep(input.KeyName, kms, input.MinEnabledVersion), KeyCallPolicies.VaultCalls)));
        KeyFlowOutcome outcome = await context.CallActivityAsync<KeyFlowOutcome>(RecordMinEnabledVersionActivity.Name,
            input, KeyCallPolicies.StoreCalls);
        context.SetCustomStatus(null);
        KeyFlowLogs.MinEnabledVersionApplied(log, input.KeyName, input.MinEnabledVersion, providers.Count);
        return outcome;
    }
}
