namespace EdgeKv.Azure.Vaults;

/// <summary>What to create a vault with (createMode default).</summary>
public sealed record VaultDefinition(
    string Location,
    Guid TenantId,
    IReadOnlyList<VaultAccessPolicy> AccessPolicies,
    string SkuName = "standard",
    int SoftDeleteRetentionInDays = 90,
    bool EnablePurgeProtection = false,
    IReadOnlyDictionary<string, string>? Tags = null);
