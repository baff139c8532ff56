namespace EdgeKv.Azure;

/// <summary>
/// One Azure cloud's endpoints: where Microsoft Entra ID signs in, where Resource Manager listens and what audience
/// its tokens carry, and the DNS suffixes of Key Vault and Storage. Every client EdgeKv builds takes its hosts and token
/// scopes from here, so a deployment in Azure China or Azure US Government addresses its own cloud throughout.
/// </summary>
public sealed record AzureCloud(string Name, Uri AuthorityHost, Uri ResourceManagerEndpoint, string ResourceManagerAudience, string KeyVaultSuffix, string StorageSuffix)
{
    public static readonly AzureCloud AzurePublicCloud = new(nameof(AzurePublicCloud), new Uri("https://login.microsoftonline.com/"),
        new Uri("https://management.azure.com/"), "https://management.azure.com", "vault.azure.net", "core.windows.net");

    public static readonly AzureCloud AzureChinaCloud = new(nameof(AzureChinaCloud), new Uri("https://login.chinacloudapi.cn/"),
        new Uri("https://management.chinacloudapi.cn/"), "https://management.chinacloudapi.cn", "vault.azure.cn", "core.chinacloudapi.cn");

    public static readonly AzureCloud AzureUSGovernment = new(nameof(AzureUSGovernment), new Uri("https://login.microsoftonline.us/"),
        new Uri("https://management.usgovcloudapi.net/"), "https://management.usgovcloudapi.net", "vault.usgovcloudapi.net", "core.usgovcloudapi.net");

    /// <summary>The clouds EdgeKv can be deployed to.</summary>
    public static readonly IReadOnlyList<AzureCloud> All = [AzurePublicCloud, AzureChinaCloud, AzureUSGovernment];

    /// <summary>The scope of a Resource Manager token in this cloud.</summary>
    public string ResourceManagerScope => ResourceManagerAudience + "/.default";

    /// <summary>The scope of a Key Vault data-plane token in this cloud (<c>https://vault.azure.cn/.default</c> in China).</summary>
    public string KeyVaultScope => $"https://{KeyVaultSuffix}/.default";

    /// <summary>A storage account's blob endpoint in this cloud.</summary>
    public Uri BlobEndpoint(string accountName) => new($"https://{accountName}.blob.{StorageSuffix}/");

    /// <summary>
    /// The cloud of that name (case-insensitive). The retired Azure Germany cloud (<c>AzureGermanCloud</c>, closed in
    /// October 2021) is refused with the way forward: its workloads moved to Azure's public regions in Germany.
    /// </summary>
    public static AzureCloud Parse(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return AzurePublicCloud;
        if (All.FirstOrDefault(c => string.Equals(c.Name, name.Trim(), StringComparison.OrdinalIgnoreCase)) is { } cloud) return cloud;
        if (string.Equals(name.Trim(), "AzureGermanCloud", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException("The Azure Germany cloud (AzureGermanCloud) closed in October 2021; its workloads moved to Azure's public regions in Germany: use AzurePublicCloud.");
        }

        throw new InvalidOperationException($"Unknown Azure cloud '{name}': use one of {string.Join(", ", All.Select(c => c.Name))}.");
    }
}
