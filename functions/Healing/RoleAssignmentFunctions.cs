using Azure;
using EdgeKv.Activities;
using EdgeKv.Activities.Healing;
using EdgeKv.Activities.Health;
using VaultRoleAssignment = EdgeKv.Azure.Authorization.RoleAssignment;
using EdgeKv.Azure.Vaults;
using EdgeKv.Functions.Http;
using EdgeKv.Functions.Resources;
using EdgeKv.Functions.Security;
using EdgeKv.Orchestrations;
using EdgeKv.Records;
using Microsoft.DurableTask.Client;

namespace EdgeKv.Functions.Healing;

/// <summary>
/// The security team's answer to role-assignment drift on a vault on Azure RBAC (an assignment at the vault, or on its
/// secrets, that EdgeKv did not make): <c>POST /api/resources/{name}/vaultRoleAssignments/{assignmentName}/remove</c>
/// (202 + the <c>RemoveVaultRoleAssignment</c> orchestration). EdgeKv's own two assignments are refused with 409.
/// </summary>
public sealed class RoleAssignmentFunctions(ResourceStore store, AzureContextProvider azure,
    ILogger<RoleAssignmentFunctions> logger)
{
    private const string Route = "resources/{name}/vaultRoleAssignments/{assignmentName}";

    [Function("StartVaultRoleAssignmentRemoval"), RequiresPermission(Permission.AccessManage, ActionScope.Resource)]
    public async Task<IResult> RemoveAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post",
        Route = Route + "/remove")] HttpRequest request,
        string name, string assignmentName, [DurableClient] DurableTaskClient client, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!Guid.TryParse(assignmentName, out _)) return AzureError.BadRequest("InvalidAssignmentName",
            "assignmentName must be a role assignment's name (a GUID).");
        ResourceRecord? record = await store.GetAsync(name, ct);
        if (record is null) return ResourcesFunctions.NotFound(name);
        if (record.VaultName is null) return AzureError.Conflict("VaultNotProvisioned",
            $"Resource '{name}' has no vault yet; generate its activation key first.");
        AzureContext az = await azure.GetAsync(ct);
        VaultProperties vault;
        try
        {
            vault = await az.Factory.GetVaultsClient().GetAsync(record.ResourceGroup, record.VaultName, ct);
        }
        catch (RequestFailedException ex) when (ex.Status == StatusCodes.Status404NotFound)
        {
            return AzureError.Conflict("VaultNotFound",
                $"Vault '{record.VaultName}' of '{name}' is gone; recover it first.");
        }

        if (!vault.EnableRbacAuthorization)
        {
            return AzureError.Conflict("VaultUsesAccessPolicies",
                $"Vault '{vault.Name}' uses access policies; remove an entry through .../accessPolicies/{{objectId}}/remove.");
        }

        IReadOnlyList<VaultRoleAssignment> foreign = await RoleAssignmentDriftCheck.NotGrantedAsync(az, record, vault,
            ct);
        if (!foreign.Any(a => string.Equals(a.Name.ToString(), assignmentName, StringComparison.OrdinalIgnoreCase)))
        {
            IReadOnlyList<VaultRoleAssignment> all = await az.Factory.GetRoleAssignmentsClient().ListAsync(vault.Id,
                cancellationToken: ct);
            return all.Any(a => string.Equals(a.Name.ToString(), assignmentName, StringComparison.OrdinalIgnoreCase))
                ? AzureError.Conflict("RoleAssignmentGrantedByEdgeKv",
                    $"Role assignment {assignmentName} is one EdgeKv makes (or is inherited from above the vault); there is nothing to remove.")
                : AzureError.NotFound("RoleAssignmentNotFound",
                    $"Vault '{vault.Name}' has no role assignment named {assignmentName}.");
        }

        return await HealingFunctions.StartInstanceAsync(request, client, logger, RemoveRoleAssignmentOrchestrator.Name,
            RemoveRoleAssignmentOrchestrator.InstanceIdFor(record.Name, assignmentName),
            new RoleAssignmentRemovalRequest(record.Name, assignmentName.ToLowerInvariant()), ct);
    }
}
