namespace EdgeKv.Azure;

/// <summary>
/// The endpoints of a cloud that is none of the named ones (settings section <c>EdgeKv:Azure:CustomCloud</c>, with
/// <c>EdgeKv:Azure:Cloud</c> = <c>Custom</c>): what <c>az cloud register</c> asks for, the endpoints an Azure Stack Hub
/// or an emulator publishes. Every endpoint must be HTTPS: the clients send bearer tokens to them.
/// </summary>
public sealed class CustomCloudEndpoints
{
    /// <summary>Where Microsoft Entra ID (or the cloud's token service) signs in: the authority host.</summary>
    public Uri? AuthorityHost { get; set; }

    public Uri? ResourceManagerEndpoint { get; set; }

    /// <summary>
    /// The audience of Resource Manager tokens (<c>https://management.azure.com</c> in the public cloud).
    /// </summary>
    public string? ResourceManagerAudience { get; set; }

    /// <summary>Key Vault's DNS suffix; its tokens' audience is <c>https://{suffix}</c>.</summary>
    public string? KeyVaultSuffix { get; set; }

    public string? StorageSuffix { get; set; }

    /// <summary>
    /// Optional: a storage account's blob endpoint with <c>{account}</c>, when it is not
    /// <c>https://{account}.blob.{StorageSuffix}/</c>.
    /// </summary>
    public string? BlobEndpointFormat { get; set; }

    /// <summary>See <see cref="AzureCloud.VerifyKeyVaultChallengeResource"/>.</summary>
    public bool VerifyKeyVaultChallengeResource { get; set; } = true;

    public AzureCloud ToCloud()
    {
        Uri authority = Https(AuthorityHost, nameof(AuthorityHost));
        Uri resourceManager = Https(ResourceManagerEndpoint, nameof(ResourceManagerEndpoint));
        if (BlobEndpointFormat is not null)
        {
            _ = Https(new Uri(BlobEndpointFormat.Replace("{account}", "a", StringComparison.Ordinal)),
                nameof(BlobEndpointFormat));
        }

        return new AzureCloud(AzureCloud.CustomName, authority, resourceManager,
            Required(ResourceManagerAudience, nameof(ResourceManagerAudience)).TrimEnd('/'),
            Required(KeyVaultSuffix, nameof(KeyVaultSuffix)), Required(StorageSuffix, nameof(StorageSuffix)))
        {
            BlobEndpointFormat = BlobEndpointFormat,
            VerifyKeyVaultChallengeResource = VerifyKeyVaultChallengeResource,
        };
    }

    private static Uri Https(Uri? uri, string name) =>
        uri is { IsAbsoluteUri: true,
            Scheme: "https" } ? uri : throw new InvalidOperationException($"EdgeKv:Azure:CustomCloud:{name} must be an absolute https URI.");

    private static string Required(string? value, string name) =>
        string.IsNullOrWhiteSpace(value) ? throw new InvalidOperationException($"EdgeKv:Azure:CustomCloud:{name} is required.") : value.Trim();
}
