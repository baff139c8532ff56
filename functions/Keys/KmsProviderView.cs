using EdgeKv.Records.Keys;

namespace EdgeKv.Functions.Keys;

/// <summary>
/// A KMS provider as EdgeKv answers it: credentials are write-only, so only whether it has its own is said.
/// </summary>
public sealed record KmsProviderView(string Name, string Provider, string KeyCollection, bool CredentialsSet,
    DateTimeOffset CreatedTime, DateTimeOffset UpdatedTime)
{
    public static KmsProviderView From(KmsProviderRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new KmsProviderView(record.Name, record.Provider, record.KeyCollection, record.HasCredentials,
            record.CreatedAt, record.UpdatedAt);
    }
}
