namespace EdgeKv.Azure.Vaults;

/// <summary>A vault as Resource Manager returns it.</summary>
public sealed record VaultProperties(
    string Id,
    string Name,
    string ResourceGroup,
    string Location,
    Guid TenantId,
    string SkuName,
    Uri? VaultUri,
    bool EnableSoftDelete,
    int SoftDeleteRetentionInDays,
    bool EnablePurgeProtection,
    IReadOnlyList<VaultAccessPolicy> AccessPolicies,
    IReadOnlyDictionary<string, string> Tags,
    string? ProvisioningState)
{
    /// <summary>
    /// Azure RBAC instead of access policies for the data plane: when on, the vault ignores its access policies.
    /// </summary>
    public bool EnableRbacAuthorization { get; init; }

    /// <summary>The network ACLs; null when the vault has none.</summary>
    public VaultNetworkRules? NetworkRules { get; init; }
}
