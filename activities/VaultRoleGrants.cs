using Azure;
using EdgeKv.Azure.Authorization;

namespace EdgeKv.Activities;

/// <summary>
/// Data access to a vault on Azure RBAC, as EdgeKv grants it: two custom roles infra defines
/// (infra/vault-rbac-roles.bicep, their GUIDs in <see cref="AzureContext.VaultRoles"/>), each assigned at the vault's
/// scope only. The device's identity gets exactly getting and setting secrets (what its access policy would hold);
/// EdgeKv itself what it needs to write the Channel Integrity Key and keep the device's secrets healthy (read, list,
/// write, delete, recover; no purge). EdgeKv never writes a role definition: its right to assign is conditioned on
/// these two roles, so a role widened out of band is reported by the drift check, not repaired. The assignments' names
/// derive from the scope, the principal and the role, so every step is idempotent.
/// </summary>
public static class VaultRoleGrants
{
    public const string GetSecret = "Microsoft.KeyVault/vaults/secrets/getSecret/action";
    public const string SetSecret = "Microsoft.KeyVault/vaults/secrets/setSecret/action";
    public const string ReadSecretMetadata = "Microsoft.KeyVault/vaults/secrets/readMetadata/action";
    public const string DeleteSecret = "Microsoft.KeyVault/vaults/secrets/delete";
    public const string RecoverSecret = "Microsoft.KeyVault/vaults/secrets/recover/action";

    public const string DeviceRoleName = "EdgeKv device secret access";
    public const string ServiceRoleName = "EdgeKv service secret access";

    /// <summary>The device identity's data actions: exactly Get and Set on secrets.</summary>
    public static readonly IReadOnlyList<string> DeviceDataActions = [GetSecret, SetSecret];

    /// <summary>
    /// EdgeKv's own data actions, the RBAC form of its access policy (get, list, set, delete, recover on secrets).
    /// </summary>
    public static readonly IReadOnlyList<string> ServiceDataActions = [GetSecret, SetSecret, ReadSecretMetadata,
        DeleteSecret, RecoverSecret];

    /// <summary>EdgeKv's own role at the vault; returns the role's id.</summary>
    public static Task<Guid> GrantServiceAsync(AzureContext az, string vaultId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(az);
        return GrantAsync(az, vaultId, az.VaultRoles.Service, az.ServiceObjectId, cancellationToken);
    }

    /// <summary>The device identity's role at the vault; returns the role's id.</summary>
    public static Task<Guid> GrantDeviceAsync(AzureContext az, string vaultId, Guid principalId,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(az);
        return GrantAsync(az, vaultId, az.VaultRoles.Device, principalId, cancellationToken);
    }

    /// <summary>
    /// Whether a role's permissions are exactly the data actions infra defines it with (no action, no exclusion,
    /// nothing more).
    /// </summary>
    public static bool IsExactly(RoleDefinition role, IReadOnlyList<string> dataActions)
    {
        ArgumentNullException.ThrowIfNull(role);
        ArgumentNullException.ThrowIfNull(dataActions);
        return role.Actions.Count == 0 && role.NotActions.Count == 0 && role.NotDataActions.Count == 0
            && role.DataActions.ToHashSet(StringComparer.OrdinalIgnoreCase).SetEquals(dataActions);
    }

    private static async Task<Guid> GrantAsync(AzureContext az, string vaultId, Guid roleId, Guid principalId,
        CancellationToken cancellationToken)
    {
        RoleAssignmentsClient assignments = az.Factory.GetRoleAssignmentsClient();
        try
        {
            await assignments.CreateAsync(vaultId, roleId, principalId, "ServicePrincipal",
                RoleAssignmentName.For(vaultId, principalId, roleId), cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == "RoleAssignmentExists")
        {
            // The same grant under another name (made by hand): it is in force.
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == "PrincipalNotFound")
        {
            // A newly enabled identity takes a while to reach the directory Resource Manager reads: retried, not
            // refused.
            throw new RequestFailedException(503, ex.Message, ex.ErrorCode, ex);
        }
        catch (RequestFailedException ex) when (!AzureFailures.IsTransient(ex))
        {
            throw new ActivationRefusedException(ex.ErrorCode ?? $"Http{ex.Status}", ex.Message.Split('\n')[0].Trim());
        }

        return roleId;
    }
}
