namespace EdgeKv.Activities.Activation;

/// <summary>How a vault's data plane is authorized: its access policies (the seed's model) or Azure RBAC.</summary>
public enum VaultPermissionModel
{
    AccessPolicies,
    Rbac,
}

/// <summary>
/// The permission model of the vaults activation creates (<c>EdgeKv:VaultPermissionModel</c>): <c>AccessPolicies</c>
/// (the default, the seed's) or <c>Rbac</c>, for fleets whose policy (such as the built-in "Azure Key Vault should use
/// RBAC permission model" with Deny) refuses access-policy vaults. A vault keeps the model it was created with: checks
/// and healing follow the vault's own <c>enableRbacAuthorization</c>, so switching the setting does not disown older
/// vaults. In RBAC mode the GUIDs of the two vault data roles infra defines are required (<see cref="VaultRoleIds"/>).
/// </summary>
public sealed class VaultPermissionSettings
{
    public const string Key = "EdgeKv:VaultPermissionModel";
    public const string DeviceRoleKey = "EdgeKv:VaultRoles:DeviceRoleDefinitionId";
    public const string ServiceRoleKey = "EdgeKv:VaultRoles:ServiceRoleDefinitionId";

    /// <summary>The configured text; empty means the default.</summary>
    public string? Model { get; set; }

    public VaultPermissionModel Parsed =>
        string.IsNullOrWhiteSpace(Model) ? VaultPermissionModel.AccessPolicies
        : Enum.TryParse(Model.Trim(), ignoreCase: true,
            out VaultPermissionModel parsed) && Enum.IsDefined(parsed) && !int.TryParse(Model, out _) ? parsed
        : throw new InvalidOperationException($"{Key} must be AccessPolicies (the default) or Rbac, not '{Model}'.");

    /// <summary>The device identity's role GUID (<see cref="DeviceRoleKey"/>); empty when not set.</summary>
    public string? DeviceRoleDefinitionId { get; set; }

    /// <summary>EdgeKv's own role GUID at each vault (<see cref="ServiceRoleKey"/>); empty when not set.</summary>
    public string? ServiceRoleDefinitionId { get; set; }

    public bool UsesRbac => Parsed == VaultPermissionModel.Rbac;

    /// <summary>
    /// The two roles' ids when both are set (required in RBAC mode; vaults created earlier in RBAC mode need them too).
    /// </summary>
    public VaultRoleIds? RoleIds =>
        Guid.TryParse(DeviceRoleDefinitionId, out Guid device) && Guid.TryParse(ServiceRoleDefinitionId,
            out Guid service) ? new VaultRoleIds(device, service) : null;

    public void Validate()
    {
        if (!UsesRbac) return;
        foreach ((string key, string? value) in new[] { (DeviceRoleKey, DeviceRoleDefinitionId),
            (ServiceRoleKey, ServiceRoleDefinitionId) })
        {
            if (!Guid.TryParse(value, out _))
            {
                throw new InvalidOperationException($"{Key} is Rbac, so {key} must be the GUID of the role infra/vault-rbac-roles.bicep defines, not '{value}'.");
            }
        }
    }
}
