using EdgeKv.Activities.Activation;
using EdgeKv.Activities.Health;
using EdgeKv.Azure.Authorization;
using EdgeKv.Azure.Vaults;
using EdgeKv.Tasks;
using EdgeKv.Records;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace EdgeKv.Activities.Healing;

/// <summary>
/// Heals role-assignment drift on a vault on Azure RBAC: deletes one assignment at the vault (or on its secrets) that
/// EdgeKv did not make; EdgeKv's own two are never touched. Its right to delete is conditioned on its two vault roles,
/// so an assignment of any other role is refused by Resource Manager (403) and stays for the vault's IAM. Idempotent (a
/// gone assignment is left gone). Answers how many assignments EdgeKv did not make are left, in the result's
/// <c>StillFlagged</c>, and, when the removed one's principal holds no other, that principal.
/// </summary>
[DurableTask(Name)]
public sealed class RemoveRoleAssignmentActivity(AzureContextProvider azure, ResourceStore store,
    ILogger<RemoveRoleAssignmentActivity> logger)
    : TaskActivity<RoleAssignmentRemovalRequest, AccessPolicyRemovalResult>
{
    public const string Name = "DeleteVaultRoleAssignment";

    public override async Task<AccessPolicyRemovalResult> RunAsync(TaskActivityContext context,
        RoleAssignmentRemovalRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        CancellationToken ct = context.CancellationToken;
        AzureContext az = await azure.GetAsync(ct);
        ResourceRecord record = await store.RequireAsync(input.ResourceName, ct);
        string vaultName = record.RequireVault();
        VaultProperties vault = await AzureFailures.RefuseNonTransientAsync(() => az.Factory.GetVaultsClient().GetAsync(record.ResourceGroup, vaultName, ct));
        IReadOnlyList<RoleAssignment> foreign = await RoleAssignmentDriftCheck.NotGrantedAsync(az, record, vault, ct);
        RoleAssignment? target = foreign.FirstOrDefault(a => string.Equals(a.Name.ToString(), input.AssignmentName,
            StringComparison.OrdinalIgnoreCase));
        string action = "AlreadyGone";
        if (target is not null)
        {
            await AzureFailures.RefuseNonTransientAsync(async () =>
            {
                await az.Factory.GetRoleAssignmentsClient().DeleteAsync(target.Id, ct);
                return true;
            });
            action = "Removed";
            Logs.RoleAssignmentRemoved(logger, target.Name, target.PrincipalId, record.Name);
        }

        // The principal's drift alert is settled once it holds no other assignment EdgeKv did not make.
        string? settled = target is not null && !foreign.Any(a => a != target && a.PrincipalId == target.PrincipalId)
            ? target.PrincipalId.ToString() : null;
        return new AccessPolicyRemovalResult(action, foreign.Count - (target is null ? 0 : 1), settled);
    }
}
