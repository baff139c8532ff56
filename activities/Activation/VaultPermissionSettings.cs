namespace EdgeKv.Activities.Activation;

/// <summary>How a vault's data plane is authorized: its access policies (the seed's model) or Azure RBAC.</summary>
public enum VaultPermissionModel
{
    AccessPolicies,
    Rbac,
}

/// <summary>
/// The permission model of the vaults activation creates (<c>EdgeKv:VaultPermissionModel</c>): <c>AccessPolicies</c> (the
/// default, the seed's) or <c>Rbac</c>, for fleets whose policy (such as the built-in "Azure Key Vault should use RBAC
/// permission model" with Deny) refuses access-policy vaults. A vault keeps the model it was created with: checks and
/// healing follow the vault's own <c>enableRbacAuthorization</c>, so switching the setting does not disown older vaults.
/// </summary>
public sealed class VaultPermissionSettings
{
    public const string Key = "EdgeKv:VaultPermissionModel";

    /// <summary>The configured text; empty means the default.</summary>
    public string? Model { get; set; }

    public VaultPermissionModel Parsed =>
        string.IsNullOrWhiteSpace(Model) ? VaultPermissionModel.AccessPolicies
        : Enum.TryParse(Model.Trim(), ignoreCase: true, out VaultPermissionModel parsed) && Enum.IsDefined(parsed) && !int.TryParse(Model, out _) ? parsed
        : throw new InvalidOperationException($"{Key} must be AccessPolicies (the default) or Rbac, not '{Model}'.");

    public bool UsesRbac => Parsed == VaultPermissionModel.Rbac;

    public void Validate() => _ = Parsed;
}
