using EdgeKv.Activities.Keys;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace EdgeKv.Orchestrations.Keys;

/// <summary>
/// Rotate a key: its next version created in EdgeKv, then imported into every vault that holds the key, as the current
/// version there (older versions stay listed). The Azure version carries EdgeKv's version number as a tag, so a retried
/// or killed import never makes a second Azure version for one EdgeKv version.
/// </summary>
[DurableTask(Name)]
public sealed class RotateKeyOrchestrator : TaskOrchestrator<RotateKeyRequest?, KeyFlowOutcome>
{
    public const string Name = "RotateKey";

    public override async Task<KeyFlowOutcome> RunAsync(TaskOrchestrationContext context, RotateKeyRequest? input)
    {
        ArgumentNullException.ThrowIfNull(context);
        OrchestrationInputs.Require(input, KeyFlowInputs.Problem(input));
        ILogger log = context.CreateReplaySafeLogger<RotateKeyOrchestrator>();
        context.SetCustomStatus($"Creating version {input.NewVersion}");
        int latest = await context.CallActivityAsync<int>(CreateKeyVersionActivity.Name, input,
            KeyCallPolicies.StoreCalls);
        IReadOnlyList<string> providers = await context.CallActivityAsync<IReadOnlyList<string>>(ListKeyProvidersActivity.Name, input.KeyName, KeyCallPolicies.StoreCalls);
        context.SetCustomStatus($"Importing version {input.NewVersion} into {providers.Count} vault(s)");
        await Task.WhenAll(providers.Select(kms =>
            context.CallActivityAsync<ImportedVersion>(ImportKeyVersionActivity.Name,
                new KeyVersionStep(input.KeyName, kms, input.NewVersion), KeyCallPolicies.VaultCalls)));
        context.SetCustomStatus(null);
        KeyFlowLogs.Rotated(log, input.KeyName, input.NewVersion, input.Trigger, providers.Count);
        return new KeyFlowOutcome(input.KeyName, latest, 0, providers,
            $"Key '{input.KeyName}' rotated to version {input.NewVersion}; current in {providers.Count} vault(s).");
    }
}
