namespace EdgeKv.Azure.Vaults;

/// <summary>What to create a vault with (createMode default).</summary>
public sealed record VaultDefinition(
    string Location,
    Guid TenantId,
    IReadOnlyList<VaultAccessPolicy> AccessPolicies,
    string SkuName = "standard",
    int SoftDeleteRetentionInDays = 90,
    bool EnablePurgeProtection = false,
    IReadOnlyDictionary<string, string>? Tags = null)
{
    /// <summary>Azure RBAC for the data plane instead of the access policies (which the vault then ignores).</summary>
    public bool EnableRbacAuthorization { get; init; }

    /// <summary>Network ACLs; null sends none (the vault is reachable from every network).</summary>
    public VaultNetworkRules? NetworkRules { get; init; }
}
