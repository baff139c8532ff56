using EdgeKv.Activities.Healing;
using EdgeKv.Activities.Health;
using EdgeKv.Records.Alerts;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace EdgeKv.Orchestrations;

/// <summary>
/// Heal role-assignment drift on a vault on Azure RBAC (the security team's "remove" of an assignment EdgeKv did not
/// make): the assignment deleted, the drift alert resolved when no other one is left, the caller notified.
/// </summary>
[DurableTask(Name)]
public sealed class RemoveRoleAssignmentOrchestrator : TaskOrchestrator<RoleAssignmentRemovalRequest?, RecoveryOutcome>
{
    public const string Name = "RemoveVaultRoleAssignment";

    public static string InstanceIdFor(string resourceName, string assignmentName) =>
        $"remove-role-assignment-{resourceName.ToLowerInvariant()}-{assignmentName.ToLowerInvariant()}";

    public override Task<RecoveryOutcome> RunAsync(TaskOrchestrationContext context,
        RoleAssignmentRemovalRequest? input)
    {
        ArgumentNullException.ThrowIfNull(context);
        OrchestrationInputs.Require(input, OrchestrationInputs.Problem(input));
        return ResourceFlows.RunMarkedAsync(context, input.ResourceName, Name, () => HealAsync(context, input));
    }

    private static Task<RecoveryOutcome> HealAsync(TaskOrchestrationContext context,
        RoleAssignmentRemovalRequest input) =>
        DriftRemoval.RunAsync<RemoveRoleAssignmentOrchestrator, RoleAssignmentRemovalRequest>(context, Name,
            input.ResourceName,
            $"Removing the role assignment {input.AssignmentName}", RemoveRoleAssignmentActivity.Name, input,
            AlertKind.RoleAssignmentNotGrantedByEdgeKv, null,
            r => $"Role assignment {input.AssignmentName} on the vault of '{input.ResourceName}': {r.Action}; "
                + $"{r.StillFlagged} other assignments not made by EdgeKv.");
}
