using EdgeKv.Azure.Authorization;
using EdgeKv.Azure.Edge;
using EdgeKv.Azure.Vaults;
using EdgeKv.Records;

namespace EdgeKv.Activities;

/// <summary>
/// What EdgeKv proves about a resource's identity and its vault where it cannot sign in as that identity (in Azure a
/// system-assigned identity issues tokens only inside the resource's own service): the resource still has its
/// system-assigned identity on, with the principal EdgeKv recorded at activation and in the same tenant; and, on a
/// vault governed by access policies, exactly one entry for that principal, in that tenant, granting Get and Set on
/// secrets and nothing else, or, on a vault on Azure RBAC (which ignores access policies), EdgeKv's device role at the
/// vault and no other role. Read through Resource Manager with EdgeKv's own identity, so a grant removed, widened,
/// narrowed or moved to another principal is seen. What it cannot prove is the token exchange itself; in local mode,
/// where the emulator issues the identity's tokens, EdgeKv makes the vault call as the identity instead.
/// </summary>
public static class IdentityVaultGrant
{
    /// <summary>
    /// The refusal, as an error code and a message naming no secret, or null when the grant is in force.
    /// </summary>
    public static async Task<(string Code, string Message)?> CheckAsync(AzureContext az, ResourceRecord record,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(az);
        ArgumentNullException.ThrowIfNull(record);
        if (record.PrincipalId is not { } principal) return ("SystemAssignedIdentityMissing",
            $"Resource '{record.Name}' has no identity recorded.");
        if (record.VaultName is not { } vaultName) return ("VaultNotProvisioned",
            $"Resource '{record.Name}' has no vault yet.");
        Guid tenant = record.TenantId ?? az.TenantId;

        EdgeDevice device = await az.Factory.GetEdgeDevicesClient(subscriptionId: record.SubscriptionId).GetAsync(record.ResourceGroup, record.Name, cancellationToken);
        if (device.PrincipalId is null)
        {
            return ("SystemAssignedIdentityMissing", $"The system-assigned identity of '{record.Name}' is off.");
        }

        if (device.PrincipalId != principal || (device.TenantId is { } deviceTenant && deviceTenant != tenant))
        {
            return ("IdentityChanged",
                $"The identity of '{record.Name}' is principal {device.PrincipalId}, not {principal} as activated.");
        }

        VaultProperties vault = await az.Factory.GetVaultsClient(subscriptionId: record.SubscriptionId).GetAsync(record.ResourceGroup, vaultName, cancellationToken);
        if (vault.EnableRbacAuthorization)
        {
            return await CheckRoleAsync(az, record, vault, principal, cancellationToken);
        }

        List<VaultAccessPolicy> entries = [.. vault.AccessPolicies.Where(p => string.Equals(p.ObjectId,
            principal.ToString(), StringComparison.OrdinalIgnoreCase))];
        if (entries.Count == 0)
        {
            return ("IdentityAccessMissing",
                $"Vault '{vaultName}' has no access policy for the identity of '{record.Name}'.");
        }

        if (entries.Count > 1 || entries[0].TenantId != tenant || !IsExactlyGetSet(entries[0]))
        {
            return ("IdentityAccessNotAsGranted",
                $"The access policy of the identity of '{record.Name}' on vault '{vaultName}' is not exactly Get and Set on secrets.");
        }

        return null;
    }

    /// <summary>
    /// A vault on Azure RBAC ignores access policies: the identity must hold EdgeKv's device role at the vault and no
    /// other role that reaches it (at the vault, above it or on one of its secrets), and the role must still grant
    /// exactly Get and Set on secrets.
    /// </summary>
    private static async Task<(string Code, string Message)?> CheckRoleAsync(AzureContext az, ResourceRecord record,
        VaultProperties vault, Guid principal,
        CancellationToken cancellationToken)
    {
        Guid deviceRole = az.VaultRoles.Device;
        IReadOnlyList<RoleAssignment> held = await az.Factory.GetRoleAssignmentsClient().ListAsync(vault.Id, principal,
            cancellationToken);
        bool IsOurs(RoleAssignment a) => a.PrincipalId == principal && RoleIdOf(a) == deviceRole && string.Equals(a.Scope.TrimEnd('/'), vault.Id, StringComparison.OrdinalIgnoreCase);
        if (!held.Any(IsOurs))
        {
            return ("IdentityAccessMissing",
                $"Vault '{vault.Name}' uses Azure RBAC and the identity of '{record.Name}' holds no assignment of EdgeKv's device role on it.");
        }

        if (held.Any(a => a.PrincipalId == principal && !IsOurs(a)))
        {
            return ("IdentityAccessNotAsGranted",
                $"The identity of '{record.Name}' holds roles beyond EdgeKv's device role that reach vault '{vault.Name}'.");
        }

        RoleDefinition? role = await az.Factory.GetRoleDefinitionsClient().GetAsync(vault.Id, deviceRole,
            cancellationToken);
        if (role is null || !VaultRoleGrants.IsExactly(role, VaultRoleGrants.DeviceDataActions))
        {
            return ("IdentityAccessNotAsGranted",
                $"EdgeKv's device role no longer grants exactly Get and Set on secrets (changed outside EdgeKv, which cannot write roles), so the identity of '{record.Name}' is not as granted on vault '{vault.Name}'.");
        }

        return null;
    }

    /// <summary>
    /// The role definition GUID an assignment names (the last segment of its <c>roleDefinitionId</c>).
    /// </summary>
    public static Guid RoleIdOf(RoleAssignment assignment)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        return Guid.TryParse(assignment.RoleDefinitionId.TrimEnd('/').Split('/')[^1], out Guid id) ? id : Guid.Empty;
    }

    internal static bool IsExactlyGetSet(VaultAccessPolicy entry) =>
        entry.Secrets.Select(s => s.ToLowerInvariant()).Order(StringComparer.Ordinal).SequenceEqual(["get", "set"])
        && (entry.Keys?.Count ?? 0) == 0 && (entry.Certificates?.Count ?? 0) == 0 && (entry.Storage?.Count ?? 0) == 0;
}
