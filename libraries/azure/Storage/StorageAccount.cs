namespace EdgeKv.Azure.Storage;

/// <summary>A storage account as Resource Manager returns it.</summary>
public sealed record StorageAccount(
    string Id,
    string Name,
    string Location,
    string SkuName,
    string Kind,
    string? ProvisioningState,
    IReadOnlyDictionary<string, string> Tags)
{
    public bool AllowSharedKeyAccess { get; init; } = true;

    public bool AllowBlobPublicAccess { get; init; }

    /// <summary>For example <c>TLS1_2</c>.</summary>
    public string? MinimumTlsVersion { get; init; }
}
