using EdgeKv.Activities.Secrets;
using EdgeKv.Activities.Health;
using EdgeKv.Activities.Lifecycle;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace EdgeKv.Orchestrations;

/// <summary>
/// Delete resource, after the caller typed its name. With consent the vault goes too (its locks removed first; it goes
/// into soft-delete) and so does its audit storage account; without consent the vault is left intact and unlocked for
/// its other users, and the audit storage stays. Then the Azure Stack Edge resource and EdgeKv's record go.
/// </summary>
[DurableTask(Name)]
public sealed class DeleteResourceOrchestrator : TaskOrchestrator<DeleteResourceRequest?, string>
{
    public const string Name = "DeleteResource";

    public static string InstanceIdFor(string resourceName) => $"delete-{resourceName.ToLowerInvariant()}";

    public override Task<string> RunAsync(TaskOrchestrationContext context, DeleteResourceRequest? input)
    {
        ArgumentNullException.ThrowIfNull(context);
        OrchestrationInputs.Require(input, OrchestrationInputs.Problem(input));
        return ResourceFlows.RunMarkedAsync(context, input.ResourceName, Name, () => DeleteAsync(context, input));
    }

    private static async Task<string> DeleteAsync(TaskOrchestrationContext context, DeleteResourceRequest input)
    {
        ILogger log = context.CreateReplaySafeLogger<DeleteResourceOrchestrator>();
        var done = new List<string>();
        if (input.VaultId is not null)
        {
            await context.CallActivityAsync<int>(DeleteLocksActivity.Name, new ScopeRequest(input.VaultId),
                CallPolicies.ArmCalls);
            await context.CallActivityAsync<bool>(UnsubscribeVaultEventsActivity.Name, new ScopeRequest(input.VaultId),
                CallPolicies.ArmCalls);
            if (input.DeleteVault)
            {
                await context.CallActivityAsync<bool>(DeleteAzureResourceActivity.Name, new ScopeRequest(input.VaultId),
                    CallPolicies.ArmCalls);
                done.Add($"vault '{input.VaultName}' deleted (soft-deleted, recoverable within its retention)");
            }
            else
            {
                done.Add($"vault '{input.VaultName}' kept, unlocked");
            }
        }

        if (input.AuditStorageAccountId is not null && input.DeleteVault)
        {
            await context.CallActivityAsync<int>(DeleteLocksActivity.Name,
                new ScopeRequest(input.AuditStorageAccountId), CallPolicies.ArmCalls);
            await context.CallActivityAsync<bool>(DeleteAzureResourceActivity.Name,
                new ScopeRequest(input.AuditStorageAccountId), CallPolicies.ArmCalls);
            done.Add("audit storage deleted");
        }

        await context.CallActivityAsync<bool>(DeleteAzureResourceActivity.Name, new ScopeRequest(input.ResourceId),
            CallPolicies.ArmCalls);
        await context.CallActivityAsync<bool>(ForgetResourceActivity.Name, input.ResourceName, CallPolicies.StoreCalls);
        string summary = $"Resource '{input.ResourceName}' deleted; {string.Join("; ", done)}.";
        await context.CallActivityAsync<bool>(NotifyActivity.Name,
            new Notification("FlowCompleted", input.ResourceName, summary, []), CallPolicies.NotifyCalls);
        Logs.Healed(log, Name, input.ResourceName);
        return summary;
    }
}
