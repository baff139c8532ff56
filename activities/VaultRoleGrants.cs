using Azure;
using Azure.Core;
using EdgeKv.Azure.Authorization;

namespace EdgeKv.Activities;

/// <summary>
/// Data access to a vault on Azure RBAC, as EdgeKv grants it: two custom roles of its own, each assigned at the vault's
/// scope only. The device's identity gets exactly getting and setting secrets (what its access policy would hold);
/// EdgeKv itself what it needs to write the Channel Integrity Key and keep the device's secrets healthy (read, list,
/// write, delete, recover; no purge). The roles' ids and the assignments' names are derived from EdgeKv's principal, the
/// scope and the principal, so every step is idempotent, and a role whose permissions were changed is put back.
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

    /// <summary>EdgeKv's own data actions, the RBAC form of its access policy (get, list, set, delete, recover on secrets).</summary>
    public static readonly IReadOnlyList<string> ServiceDataActions = [GetSecret, SetSecret, ReadSecretMetadata, DeleteSecret, RecoverSecret];

    /// <summary>The device role's id: one per EdgeKv deployment (its principal), tenant-wide as role definitions are.</summary>
    public static Guid DeviceRoleId(Guid serviceObjectId) => RoleAssignmentName.From("edgekv-device-secret-access", serviceObjectId.ToString());

    public static Guid ServiceRoleId(Guid serviceObjectId) => RoleAssignmentName.From("edgekv-service-secret-access", serviceObjectId.ToString());

    /// <summary>The role's name in the tenant: role names are unique per tenant, so it names the EdgeKv deployment it belongs to.</summary>
    public static string RoleNameOf(string baseName, Guid serviceObjectId) => $"{baseName} ({serviceObjectId})";

    /// <summary>EdgeKv's own role at the vault, its definition first; returns the role's id.</summary>
    public static Task<Guid> GrantServiceAsync(AzureContext az, string vaultId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(az);
        return GrantAsync(az, vaultId, ServiceRoleId(az.ServiceObjectId), RoleNameOf(ServiceRoleName, az.ServiceObjectId),
            "What EdgeKv needs in a device's vault: write the Channel Integrity Key, read, list, recover and delete the device's secrets.",
            ServiceDataActions, az.ServiceObjectId, cancellationToken);
    }

    /// <summary>The device identity's role at the vault, its definition first; returns the role's id.</summary>
    public static Task<Guid> GrantDeviceAsync(AzureContext az, string vaultId, Guid principalId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(az);
        return GrantAsync(az, vaultId, DeviceRoleId(az.ServiceObjectId), RoleNameOf(DeviceRoleName, az.ServiceObjectId),
            "Get and set the secrets of the Azure Stack Edge device's own key vault; nothing else.", DeviceDataActions, principalId, cancellationToken);
    }

    /// <summary>Whether a role's permissions are exactly the data actions EdgeKv defined it with (no action, no exclusion, nothing more).</summary>
    public static bool IsExactly(RoleDefinition role, IReadOnlyList<string> dataActions)
    {
        ArgumentNullException.ThrowIfNull(role);
        ArgumentNullException.ThrowIfNull(dataActions);
        return role.Actions.Count == 0 && role.NotActions.Count == 0 && role.NotDataActions.Count == 0
            && role.DataActions.ToHashSet(StringComparer.OrdinalIgnoreCase).SetEquals(dataActions);
    }

    private static async Task<Guid> GrantAsync(AzureContext az, string vaultId, Guid roleId, string roleName, string description, IReadOnlyList<string> dataActions,
        Guid principalId, CancellationToken cancellationToken)
    {
        var vault = new ResourceIdentifier(vaultId);
        string group = $"/subscriptions/{vault.SubscriptionId}/resourceGroups/{vault.ResourceGroupName}";
        RoleDefinitionsClient definitions = az.Factory.GetRoleDefinitionsClient();
        RoleDefinition? role = await AzureFailures.RefuseNonTransientAsync(() => definitions.GetAsync(group, roleId, cancellationToken));
        bool assignableHere = role?.AssignableScopes.Any(s => IsAtOrBelow(group, s)) == true;
        if (role is null || !assignableHere || !IsExactly(role, dataActions))
        {
            // Assignable in every group that holds one of EdgeKv's vaults: the groups it was already assignable in, and this one.
            IReadOnlyList<string> scopes = assignableHere ? role!.AssignableScopes : [.. (role?.AssignableScopes ?? []).Append(group).Distinct(StringComparer.OrdinalIgnoreCase)];
            await AzureFailures.RefuseNonTransientAsync(() => definitions.CreateOrUpdateCustomAsync(group, roleId, roleName, description, scopes, [], dataActions,
                cancellationToken: cancellationToken));
        }

        RoleAssignmentsClient assignments = az.Factory.GetRoleAssignmentsClient();
        try
        {
            await assignments.CreateAsync(vaultId, roleId, principalId, "ServicePrincipal", RoleAssignmentName.For(vaultId, principalId, roleId), cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == "RoleAssignmentExists")
        {
            // The same grant under another name (made by hand): it is in force.
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == "PrincipalNotFound")
        {
            // A newly enabled identity takes a while to reach the directory Resource Manager reads: retried, not refused.
            throw new RequestFailedException(503, ex.Message, ex.ErrorCode, ex);
        }
        catch (RequestFailedException ex) when (!AzureFailures.IsTransient(ex))
        {
            throw new ActivationRefusedException(ex.ErrorCode ?? $"Http{ex.Status}", ex.Message.Split('\n')[0].Trim());
        }

        return roleId;
    }

    private static bool IsAtOrBelow(string id, string scope) =>
        string.Equals(id.TrimEnd('/'), scope.TrimEnd('/'), StringComparison.OrdinalIgnoreCase)
        || id.StartsWith(scope.TrimEnd('/') + "/", StringComparison.OrdinalIgnoreCase);
}
