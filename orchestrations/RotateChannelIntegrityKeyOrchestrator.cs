using EdgeKv.Activities.Health;
using EdgeKv.Activities.Secrets;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace EdgeKv.Orchestrations;

/// <summary>
/// Rotates a resource's Channel Integrity Key: a new version in its vault, pending until the device takes it through
/// the sync of device secrets (<see cref="SyncDeviceSecretsOrchestrator"/>, run as a sub-orchestration: its sync
/// request carries the new key encrypted under the current one, and the device answers with the key it now holds); then
/// the record and the resource's extended information name the new version. A resource whose device is not activated
/// adopts the new version at once (its next activation hands it out). A device that does not answer in time keeps the
/// current key, and the new version stays pending for the next rotation to offer again.
/// </summary>
[DurableTask(Name)]
public sealed class RotateChannelIntegrityKeyOrchestrator : TaskOrchestrator<RotateCikRequest?, CikRotationOutcome>
{
    public const string Name = "RotateChannelIntegrityKey";

    public static string InstanceIdFor(string resourceName) => $"rotate-cik-{resourceName.ToLowerInvariant()}";

    public override async Task<CikRotationOutcome> RunAsync(TaskOrchestrationContext context, RotateCikRequest? input)
    {
        ArgumentNullException.ThrowIfNull(context);
        OrchestrationInputs.Require(input, OrchestrationInputs.Problem(input));
        ILogger log = context.CreateReplaySafeLogger<RotateChannelIntegrityKeyOrchestrator>();
        var step = new CikRotationStep(input.ResourceName, context.NewGuid().ToString("N"));
        CikVersionWritten written = await context.CallActivityAsync<CikVersionWritten>(CreateChannelIntegrityKeyVersionActivity.Name, step, CallPolicies.VaultDataCalls);
        step = step with { Version = written.Version };

        bool answered = false;
        if (written.DeviceActivated)
        {
            context.SetCustomStatus($"Waiting up to {input.DeviceSyncTimeout} for the device to take CIK version {written.Version}");
            RecoveryOutcome synced = await context.CallSubOrchestratorAsync<RecoveryOutcome>(SyncDeviceSecretsOrchestrator.Name,
                new SyncDeviceSecretsRequest(input.ResourceName, input.DeviceSyncTimeout, Notify: false),
                new SubOrchestrationOptions { InstanceId = $"{context.InstanceId}-sync-{step.RotationId}" });
            answered = synced.Healed;
        }

        CikRotationCompleted completed = await context.CallActivityAsync<CikRotationCompleted>(CompleteChannelIntegrityKeyRotationActivity.Name,
            new CikRotationCompletion(step, Adopt: !written.DeviceActivated, DeviceAnswered: answered),
            CallPolicies.ArmCalls);
        string summary = completed.Rotated
            ? written.DeviceActivated
                ? $"The device took CIK version {written.Version}; EdgeKv and the vault use it now."
                : $"CIK version {written.Version} is in use; no device is activated, its next activation hands it out."
            : answered
                ? $"DeviceKeptItsKey: the device answered with another key (version {completed.CurrentVersion}); rotate again."
                : $"DeviceDidNotAnswer: the device did not take CIK version {written.Version} within {input.DeviceSyncTimeout}; it stays pending, and the current version stays in use.";
        if (completed.Rotated) Logs.Healed(log, Name, input.ResourceName);
        else Logs.NotHealed(log, Name, input.ResourceName, summary);
        await context.CallActivityAsync<bool>(NotifyActivity.Name,
            new Notification("FlowCompleted", input.ResourceName, summary, []), CallPolicies.NotifyCalls);
        return new CikRotationOutcome(input.ResourceName, completed.Rotated, completed.CurrentVersion, summary);
    }
}

/// <summary>Input of a CIK rotation: the resource, how long to wait for its device, and what started it.</summary>
public sealed record RotateCikRequest(string ResourceName, TimeSpan DeviceSyncTimeout, string Trigger);

/// <summary>
/// How a CIK rotation ended: whether the resource now uses the new version, the version in use, and why.
/// </summary>
public sealed record CikRotationOutcome(string ResourceName, bool Rotated, string? Version, string Summary);
