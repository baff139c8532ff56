using EdgeKv.Activities.Activation;
using EdgeKv.Activities.Healing;
using EdgeKv.Activities.Health;
using Microsoft.DurableTask;
using EdgeKv.Records.Alerts;
using Microsoft.Extensions.Logging;

namespace EdgeKv.Orchestrations;

/// <summary>
/// Sync device secrets: the device is asked to push its secrets (BitLocker recovery key, BMC password, and the channel
/// integrity key it holds), waits for it on a durable timer, and ends either with the vault restored or updated (the
/// device API writes the values with the identity's token; only names reach this orchestration) or with the reason
/// that the device did not answer in time. Also the last step of recovering a vault.
/// </summary>
[DurableTask(Name)]
public sealed class SyncDeviceSecretsOrchestrator : TaskOrchestrator<SyncDeviceSecretsRequest?, RecoveryOutcome>
{
    public const string Name = "SyncDeviceSecrets";

    public static string InstanceIdFor(string resourceName) => $"sync-secrets-{resourceName.ToLowerInvariant()}";

    public override async Task<RecoveryOutcome> RunAsync(TaskOrchestrationContext context,
        SyncDeviceSecretsRequest? input)
    {
        ArgumentNullException.ThrowIfNull(context);
        OrchestrationInputs.Require(input, OrchestrationInputs.Problem(input));
        ILogger log = context.CreateReplaySafeLogger<SyncDeviceSecretsOrchestrator>();
        string requestId = context.NewGuid().ToString("N");
        await context.CallActivityAsync<IReadOnlyList<string>>(RecoverDeletedDeviceSecretsActivity.Name,
            new ResourceStep(input.ResourceName), CallPolicies.VaultDataCalls);
        await context.CallActivityAsync<bool>(RequestDeviceSyncActivity.Name,
            new DeviceSyncRequest(input.ResourceName, requestId, context.InstanceId), CallPolicies.StoreCalls);
        context.SetCustomStatus($"Waiting up to {input.Timeout} for the device to push its secrets");
        RecoveryOutcome outcome;
        try
        {
            DeviceSyncResult pushed = await context.WaitForExternalEvent<DeviceSyncResult>(DeviceSyncResult.EventName,
                input.Timeout);
            IReadOnlyList<AlertChange> resolved = await context.CallActivityAsync<IReadOnlyList<AlertChange>>(ResolveAlertsActivity.Name,
                new ResolveAlertsRequest(input.ResourceName, [AlertKind.ChannelIntegrityKeyMissing]),
                CallPolicies.StoreCalls);
            outcome = new RecoveryOutcome(input.ResourceName, true, $"The device pushed {string.Join(", ", pushed.Secrets)}; the vault holds them again.", resolved.Count);
            Logs.Healed(log, Name, input.ResourceName);
        }
        catch (TaskCanceledException)
        {
            await context.CallActivityAsync<bool>(RequestDeviceSyncActivity.Name,
                new DeviceSyncRequest(input.ResourceName, null, context.InstanceId), CallPolicies.StoreCalls);
            outcome = new RecoveryOutcome(input.ResourceName, false,
                $"DeviceDidNotAnswer: the device did not push its secrets within {input.Timeout}.", 0);
            Logs.NotHealed(log, Name, input.ResourceName, outcome.Summary);
        }

        if (input.Notify)
        {
            await context.CallActivityAsync<bool>(NotifyActivity.Name,
                new Notification("FlowCompleted", input.ResourceName, outcome.Summary, []), CallPolicies.NotifyCalls);
        }

        return outcome;
    }
}

/// <summary>
/// Input of the sync: the resource, how long to wait for the device, whether to notify (the vault recovery notifies
/// itself).
/// </summary>
public sealed record SyncDeviceSecretsRequest(string ResourceName, TimeSpan Timeout, bool Notify = true);
