namespace EdgeKv.Azure;

/// <summary>
/// One Azure cloud's endpoints: where Microsoft Entra ID signs in, where Resource Manager listens and what audience its
/// tokens carry, and the DNS suffixes of Key Vault and Storage. Every client EdgeKv builds takes its hosts and token
/// scopes from here, so a deployment in Azure China or Azure US Government addresses its own cloud throughout, and a
/// custom cloud (Azure Stack Hub, an emulator) the endpoints its settings give.
/// </summary>
public sealed record AzureCloud(string Name, Uri AuthorityHost, Uri ResourceManagerEndpoint,
    string ResourceManagerAudience, string KeyVaultSuffix, string StorageSuffix)
{
    /// <summary>The name that selects a cloud described by settings (<see cref="CustomCloudEndpoints"/>).</summary>
    public const string CustomName = "Custom";

    public static readonly AzureCloud AzurePublicCloud = new(nameof(AzurePublicCloud),
        new Uri("https://login.microsoftonline.com/"),
        new Uri("https://management.azure.com/"), "https://management.azure.com", "vault.azure.net",
        "core.windows.net");

    public static readonly AzureCloud AzureChinaCloud = new(nameof(AzureChinaCloud),
        new Uri("https://login.chinacloudapi.cn/"),
        new Uri("https://management.chinacloudapi.cn/"), "https://management.chinacloudapi.cn", "vault.azure.cn",
        "core.chinacloudapi.cn");

    public static readonly AzureCloud AzureUSGovernment = new(nameof(AzureUSGovernment),
        new Uri("https://login.microsoftonline.us/"),
        new Uri("https://management.usgovcloudapi.net/"), "https://management.usgovcloudapi.net",
        "vault.usgovcloudapi.net", "core.usgovcloudapi.net");

    /// <summary>The named clouds EdgeKv can be deployed to.</summary>
    public static readonly IReadOnlyList<AzureCloud> All = [AzurePublicCloud, AzureChinaCloud, AzureUSGovernment];

    /// <summary>
    /// A storage account's blob endpoint with <c>{account}</c> for the account name, for a cloud whose accounts are not
    /// <c>https://ACCOUNT.blob.SUFFIX/</c>; null for the named clouds.
    /// </summary>
    public string? BlobEndpointFormat { get; init; }

    /// <summary>
    /// Whether a Key Vault client checks that a vault's 401 challenge names a resource whose host the vault's host ends
    /// with (the Key Vault SDK's default). Off only for a custom cloud whose vaults answer on hosts outside the Key
    /// Vault audience's domain (an emulator's loopback addresses); the token still goes to that vault only.
    /// </summary>
    public bool VerifyKeyVaultChallengeResource { get; init; } = true;

    /// <summary>The scope of a Resource Manager token in this cloud.</summary>
    public string ResourceManagerScope => ResourceManagerAudience + "/.default";

    /// <summary>
    /// The scope of a Key Vault data-plane token in this cloud (<c>https://vault.azure.cn/.default</c> in China).
    /// </summary>
    public string KeyVaultScope => $"https://{KeyVaultSuffix}/.default";

    /// <summary>A storage account's blob endpoint in this cloud.</summary>
    public Uri BlobEndpoint(string accountName) => BlobEndpointFormat is { } format
        ? new Uri(format.Replace("{account}", accountName, StringComparison.Ordinal))
        : new Uri($"https://{accountName}.blob.{StorageSuffix}/");

    /// <summary>
    /// The cloud of that name (case-insensitive); <see cref="CustomName"/> takes its endpoints from
    /// <paramref name="custom"/>. The retired Azure Germany cloud (<c>AzureGermanCloud</c>, closed in October 2021) is
    /// refused with the way forward: its workloads moved to Azure's public regions in Germany.
    /// </summary>
    public static AzureCloud Parse(string? name, CustomCloudEndpoints? custom = null)
    {
        if (string.IsNullOrWhiteSpace(name)) return AzurePublicCloud;
        if (All.FirstOrDefault(c => string.Equals(c.Name, name.Trim(),
            StringComparison.OrdinalIgnoreCase)) is { } cloud) return cloud;
        if (string.Equals(name.Trim(), CustomName, StringComparison.OrdinalIgnoreCase))
        {
            return (custom ?? throw new InvalidOperationException("The Custom cloud needs its endpoints (EdgeKv:Azure:CustomCloud).")).ToCloud();
        }

        if (string.Equals(name.Trim(), "AzureGermanCloud", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException("The Azure Germany cloud (AzureGermanCloud) closed in October 2021; its workloads moved to Azure's public regions in Germany: use AzurePublicCloud.");
        }

        throw new InvalidOperationException($"Unknown Azure cloud '{name}': use one of {string.Join(", ", All.Select(c => c.Name))}, or {CustomName} with its endpoints.");
    }
}
