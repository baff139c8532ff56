using EdgeKv.Activities.Healing;
using EdgeKv.Activities.Health;
using EdgeKv.Records.Alerts;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace EdgeKv.Orchestrations;

/// <summary>
/// Heal access-policy drift for one principal (the security team's "remove" of an entry EdgeKv did not grant): the
/// entry removed (or EdgeKv's and the identity's cut back to EdgeKv's grant), that principal's drift alert resolved
/// (and every drift alert of the vault when no other entry still drifts), the caller notified.
/// </summary>
[DurableTask(Name)]
public sealed class RemoveAccessPolicyOrchestrator : TaskOrchestrator<AccessPolicyRemovalRequest?, RecoveryOutcome>
{
    public const string Name = "RemoveAccessPolicy";

    public static string InstanceIdFor(string resourceName, string objectId) =>
        $"remove-access-policy-{resourceName.ToLowerInvariant()}-{objectId.ToLowerInvariant()}";

    public override Task<RecoveryOutcome> RunAsync(TaskOrchestrationContext context, AccessPolicyRemovalRequest? input)
    {
        ArgumentNullException.ThrowIfNull(context);
        OrchestrationInputs.Require(input, OrchestrationInputs.Problem(input));
        return ResourceFlows.RunMarkedAsync(context, input.ResourceName, Name, () => HealAsync(context, input));
    }

    private static Task<RecoveryOutcome> HealAsync(TaskOrchestrationContext context,
        AccessPolicyRemovalRequest input) =>
        DriftRemoval.RunAsync<RemoveAccessPolicyOrchestrator, AccessPolicyRemovalRequest>(context, Name,
            input.ResourceName,
            $"Removing the access policy of {input.ObjectId}", RemoveAccessPolicyActivity.Name, input,
            AlertKind.AccessPolicyNotGrantedByEdgeKv, input.ObjectId,
            r => $"Access policy of {input.ObjectId} on the vault of '{input.ResourceName}': {r.Action}; "
                + $"{r.StillFlagged} other entries still not granted by EdgeKv.");
}
