using EdgeKv.Activities.Activation;
using EdgeKv.Activities.Healing;
using EdgeKv.Activities.Health;
using Microsoft.DurableTask;
using EdgeKv.Records.Alerts;
using Microsoft.Extensions.Logging;

namespace EdgeKv.Orchestrations;

/// <summary>
/// Recover key vault. Within retention the soft-deleted vault is recovered with the same name; once purged (or gone for
/// any reason: EdgeKv cannot tell deleted from unreachable) a new vault is created under the new name the caller gave.
/// Then, as in activation: the lock, the audit storage account (locked, tagged; not blocking), the diagnostic setting
/// (not blocking), the identity's Get and Set (recovery does not restore them reliably, so they are granted again),
/// and the device secrets pushed again by the device itself (EdgeKv never holds them): the flow asks the device and
/// waits for its answer, at most <see cref="RecoverVaultRequest.DeviceSyncTimeout"/>. Healed only when the device has
/// answered: then the vault alerts are resolved. When the wait ends first, the flow ends waiting for the device: the
/// vault's alert stays and the sync request stays open, so the device's later answer resolves it.
/// </summary>
[DurableTask(Name)]
public sealed class RecoverVaultOrchestrator : TaskOrchestrator<RecoverVaultRequest?, RecoveryOutcome>
{
    public const string Name = "RecoverVault";

    public static string InstanceIdFor(string resourceName) => $"recover-vault-{resourceName.ToLowerInvariant()}";

    /// <summary>
    /// What the flow repairs itself: resolved once they are back, whether or not the device has answered yet.
    /// </summary>
    private static readonly AlertKind[] RepairedKinds =
        [AlertKind.VaultLockMissing, AlertKind.AuditStorageMissing, AlertKind.DiagnosticSettingMissing,
            AlertKind.IdentityAccessMissing];

    /// <summary>Resolved when the device's secrets are back too: the vault is whole again.</summary>
    public static readonly IReadOnlyList<AlertKind> HealedKinds = [AlertKind.VaultDeleted,
        AlertKind.ChannelIntegrityKeyMissing, .. RepairedKinds];

    /// <summary>The custom status while, and after, the flow waits for the device.</summary>
    public const string WaitingForDeviceStatus = "Waiting for the device to push its secrets";

    public override Task<RecoveryOutcome> RunAsync(TaskOrchestrationContext context, RecoverVaultRequest? input)
    {
        ArgumentNullException.ThrowIfNull(context);
        OrchestrationInputs.Require(input, OrchestrationInputs.Problem(input));
        return ResourceFlows.RunMarkedAsync(context, input.ResourceName, Name, () => HealAsync(context, input));
    }

    private static async Task<RecoveryOutcome> HealAsync(TaskOrchestrationContext context, RecoverVaultRequest input)
    {
        ILogger log = context.CreateReplaySafeLogger<RecoverVaultOrchestrator>();
        var step = new ResourceStep(input.ResourceName);
        var notes = new List<string>();

        context.SetCustomStatus("Inspecting the vault");
        VaultCondition condition = await context.CallActivityAsync<VaultCondition>(InspectVaultActivity.Name, step,
            CallPolicies.ArmCalls);
        VaultRef vault;
        switch (condition.State)
        {
            case VaultState.SoftDeleted:
                context.SetCustomStatus($"Recovering vault {condition.VaultName} from soft-delete");
                vault = await context.CallActivityAsync<VaultRef>(RecoverVaultActivity.Name, step,
                    CallPolicies.ArmCalls);
                notes.Add($"Vault '{vault.Name}' recovered with the same name.");
                break;
            case VaultState.Gone when input.NewVaultName is null:
                string reason = $"NewVaultNameRequired: vault '{condition.VaultName}' was purged or cannot be reached; give a new vault name.";
                Logs.NotHealed(log, Name, input.ResourceName, reason);
                return new RecoveryOutcome(input.ResourceName, false, reason, 0);
            case VaultState.Gone:
                context.SetCustomStatus($"Creating the new vault {input.NewVaultName}");
                // The starter checked the new name (a 400/409 otherwise); creating the vault checks it again and
                // records it.
                vault = await context.CallActivityAsync<VaultRef>(CreateVaultActivity.Name,
                    step with { VaultName = input.NewVaultName }, CallPolicies.ArmCalls);
                notes.Add($"Vault '{condition.VaultName}' was gone; new vault '{vault.Name}' created.");
                break;
            default:
                vault = await context.CallActivityAsync<VaultRef>(RecoverVaultActivity.Name, step,
                    CallPolicies.ArmCalls);
                notes.Add($"Vault '{vault.Name}' was present; its integrations were repaired.");
                break;
        }

        context.SetCustomStatus("Locking the vault");
        await context.CallActivityAsync<string>(LockResourceActivity.Name,
            new LockRequest(vault.Id, "edgekv-vault-lock", "Azure Stack Edge key vault: do not delete."),
            CallPolicies.ArmCalls);

        context.SetCustomStatus("Audit storage account");
        string? storageId = await ActivationOrchestrator.CreateAuditStorageAsync(context, input.StoragePollInterval,
            input.StorageTimeout, step, notes);
        if (storageId is not null)
        {
            try
            {
                await context.CallActivityAsync<string>(CreateDiagnosticSettingActivity.Name,
                    new DiagnosticSettingRequest(input.ResourceName, vault.Id, storageId), CallPolicies.ArmCalls);
            }
            catch (TaskFailedException ex)
            {
                notes.Add($"The diagnostic setting was not restored (add it by hand): {ex.FailureDetails.ErrorMessage}");
            }
        }

        context.SetCustomStatus("Granting the identity Get and Set on secrets");
        await context.CallActivityAsync<string>(GrantIdentityAccessActivity.Name, step, CallPolicies.ArmCalls);

        return await AwaitDeviceAsync(context, input, notes);
    }

    /// <summary>
    /// Asks the device to push its secrets and waits for its answer, bounded; the outcome says healed only when it
    /// answered.
    /// </summary>
    private static async Task<RecoveryOutcome> AwaitDeviceAsync(TaskOrchestrationContext context,
        RecoverVaultRequest input, List<string> notes)
    {
        ILogger log = context.CreateReplaySafeLogger<RecoverVaultOrchestrator>();
        var step = new ResourceStep(input.ResourceName);
        string requestId = context.NewGuid().ToString("N");
        var request = new DeviceSyncRequest(input.ResourceName, requestId, context.InstanceId);
        await context.CallActivityAsync<IReadOnlyList<string>>(RecoverDeletedDeviceSecretsActivity.Name, step,
            CallPolicies.VaultDataCalls);
        await context.CallActivityAsync<bool>(RequestDeviceSyncActivity.Name, request, CallPolicies.StoreCalls);
        context.SetCustomStatus($"{WaitingForDeviceStatus} (at most {input.DeviceSyncTimeout})");
        bool answered;
        try
        {
            DeviceSyncResult pushed = await context.WaitForExternalEvent<DeviceSyncResult>(DeviceSyncResult.EventName,
                input.DeviceSyncTimeout);
            notes.Add($"The device pushed {string.Join(", ", pushed.Secrets)}; the vault holds them again.");
            answered = true;
        }
        catch (TaskCanceledException)
        {
            // The device may have answered just as the wait ended: the record tells, and otherwise keeps the request
            // open.
            answered = await context.CallActivityAsync<bool>(AwaitDeviceSecretsActivity.Name, request,
                CallPolicies.StoreCalls);
            if (answered) notes.Add("The device pushed its secrets; the vault holds them again.");
        }

        IReadOnlyList<AlertChange> resolved = await context.CallActivityAsync<IReadOnlyList<AlertChange>>(ResolveAlertsActivity.Name,
            new ResolveAlertsRequest(input.ResourceName, answered ? HealedKinds : RepairedKinds),
            CallPolicies.StoreCalls);
        string summary = string.Join(" ", notes);
        if (!answered)
        {
            string reason = $"WaitingForDevice: the vault and its access are back; the device did not push its secrets within {input.DeviceSyncTimeout}. "
                + $"Its sync request stays open and the vault's alert stays until it answers. {summary}";
            context.SetCustomStatus($"{WaitingForDeviceStatus}: the alert stays until it answers");
            await context.CallActivityAsync<bool>(NotifyActivity.Name,
                new Notification("FlowCompleted", input.ResourceName,
                $"Vault recovery of '{input.ResourceName}' waits for the device. {reason}", resolved),
                CallPolicies.NotifyCalls);
            Logs.NotHealed(log, Name, input.ResourceName, "WaitingForDevice");
            return new RecoveryOutcome(input.ResourceName, false, reason, resolved.Count);
        }

        context.SetCustomStatus("Healed");
        await context.CallActivityAsync<bool>(NotifyActivity.Name,
            new Notification("FlowCompleted", input.ResourceName,
                $"Vault recovery of '{input.ResourceName}' done. {summary}", resolved),
            CallPolicies.NotifyCalls);
        Logs.Healed(log, Name, input.ResourceName);
        return new RecoveryOutcome(input.ResourceName, true, summary, resolved.Count);
    }
}

/// <summary>
/// Input of the vault recovery: the new vault name (needed only when the vault was purged), and the waits.
/// </summary>
public sealed record RecoverVaultRequest(string ResourceName, string? NewVaultName, TimeSpan StoragePollInterval,
    TimeSpan StorageTimeout, TimeSpan DeviceSyncTimeout);
