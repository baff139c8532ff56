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
/// and the device secrets pushed again by the device itself (sync sub-orchestration: EdgeKv never holds them). The
/// vault alerts are resolved and the caller is notified.
/// </summary>
[DurableTask(Name)]
public sealed class RecoverVaultOrchestrator : TaskOrchestrator<RecoverVaultRequest?, RecoveryOutcome>
{
    public const string Name = "RecoverVault";

    public static string InstanceIdFor(string resourceName) => $"recover-vault-{resourceName.ToLowerInvariant()}";

    private static readonly AlertKind[] VaultKinds =
        [AlertKind.VaultDeleted, AlertKind.VaultLockMissing, AlertKind.AuditStorageMissing, AlertKind.DiagnosticSettingMissing, AlertKind.IdentityAccessMissing];

    public override async Task<RecoveryOutcome> RunAsync(TaskOrchestrationContext context, RecoverVaultRequest? input)
    {
        ArgumentNullException.ThrowIfNull(context);
        OrchestrationInputs.Require(input, OrchestrationInputs.Problem(input));
        ILogger log = context.CreateReplaySafeLogger<RecoverVaultOrchestrator>();
        var step = new ResourceStep(input.ResourceName);
        var notes = new List<string>();

        context.SetCustomStatus("Inspecting the vault");
        VaultCondition condition = await context.CallActivityAsync<VaultCondition>(InspectVaultActivity.Name, step, CallPolicies.ArmCalls);
        VaultRef vault;
        switch (condition.State)
        {
            case VaultState.SoftDeleted:
                context.SetCustomStatus($"Recovering vault {condition.VaultName} from soft-delete");
                vault = await context.CallActivityAsync<VaultRef>(RecoverVaultActivity.Name, step, CallPolicies.ArmCalls);
                notes.Add($"Vault '{vault.Name}' recovered with the same name.");
                break;
            case VaultState.Gone when input.NewVaultName is null:
                string reason = $"NewVaultNameRequired: vault '{condition.VaultName}' was purged or cannot be reached; give a new vault name.";
                Logs.NotHealed(log, Name, input.ResourceName, reason);
                return new RecoveryOutcome(input.ResourceName, false, reason, 0);
            case VaultState.Gone:
                context.SetCustomStatus($"Creating the new vault {input.NewVaultName}");
                string newName = await context.CallActivityAsync<string>(ResolveVaultNameActivity.Name, step with { VaultName = input.NewVaultName }, CallPolicies.ValidationCalls);
                vault = await context.CallActivityAsync<VaultRef>(CreateVaultActivity.Name, step with { VaultName = newName }, CallPolicies.ArmCalls);
                notes.Add($"Vault '{condition.VaultName}' was gone; new vault '{vault.Name}' created.");
                break;
            default:
                vault = await context.CallActivityAsync<VaultRef>(RecoverVaultActivity.Name, step, CallPolicies.ArmCalls);
                notes.Add($"Vault '{vault.Name}' was present; its integrations were repaired.");
                break;
        }

        context.SetCustomStatus("Locking the vault");
        await context.CallActivityAsync<string>(LockResourceActivity.Name, new LockRequest(vault.Id, "edgekv-vault-lock", "Azure Stack Edge key vault: do not delete."), CallPolicies.ArmCalls);

        context.SetCustomStatus("Audit storage account");
        string? storageId = await ActivationOrchestrator.CreateAuditStorageAsync(context, input.StoragePollInterval, input.StorageTimeout, step, notes);
        if (storageId is not null)
        {
            try
            {
                await context.CallActivityAsync<string>(CreateDiagnosticSettingActivity.Name, new DiagnosticSettingRequest(input.ResourceName, vault.Id, storageId), CallPolicies.ArmCalls);
            }
            catch (TaskFailedException ex)
            {
                notes.Add($"The diagnostic setting was not restored (add it by hand): {ex.FailureDetails.ErrorMessage}");
            }
        }

        context.SetCustomStatus("Granting the identity Get and Set on secrets");
        await context.CallActivityAsync<string>(GrantIdentityAccessActivity.Name, step, CallPolicies.ArmCalls);

        context.SetCustomStatus("Waiting for the device to push its secrets");
        RecoveryOutcome sync = await context.CallSubOrchestratorAsync<RecoveryOutcome>(SyncDeviceSecretsOrchestrator.Name,
            new SyncDeviceSecretsRequest(input.ResourceName, input.DeviceSyncTimeout, Notify: false),
            new SubOrchestrationOptions(instanceId: SyncDeviceSecretsOrchestrator.InstanceIdFor(input.ResourceName) + "-" + context.NewGuid().ToString("N")[..8]));
        notes.Add(sync.Summary);

        IReadOnlyList<AlertChange> resolved = await context.CallActivityAsync<IReadOnlyList<AlertChange>>(ResolveAlertsActivity.Name,
            new ResolveAlertsRequest(input.ResourceName, VaultKinds), CallPolicies.StoreCalls);
        string summary = string.Join(" ", notes);
        await context.CallActivityAsync<bool>(NotifyActivity.Name, new Notification("FlowCompleted", input.ResourceName, $"Vault recovery of '{input.ResourceName}' done. {summary}", resolved),
            CallPolicies.NotifyCalls);
        Logs.Healed(log, Name, input.ResourceName);
        return new RecoveryOutcome(input.ResourceName, true, summary, resolved.Count + sync.AlertsResolved);
    }
}

/// <summary>Input of the vault recovery: the new vault name (needed only when the vault was purged), and the waits.</summary>
public sealed record RecoverVaultRequest(string ResourceName, string? NewVaultName, TimeSpan StoragePollInterval, TimeSpan StorageTimeout, TimeSpan DeviceSyncTimeout);
