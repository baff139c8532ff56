namespace EdgeKv.Records.Keys;

/// <summary>
/// A KMS provider: an Azure Key Vault (its name is the key collection) that keys are distributed to. Whether it has its
/// own credentials is recorded here; the credentials themselves are an envelope in <c>kms_providers.credentials</c>.
/// </summary>
public sealed record KmsProviderRecord
{
    public const string AzureKeyVault = "azurekeyvault";

    public required string Name { get; init; }

    public string Provider { get; init; } = AzureKeyVault;

    public required string KeyCollection { get; init; }

    public bool HasCredentials { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>A provider's own service principal (write-only: stored encrypted, never answered).</summary>
public sealed record KmsCredentials(string ClientId, string ClientSecret, string TenantId);
