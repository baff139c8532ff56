namespace EdgeKv.Records.Keys;

/// <summary>
/// Where <see cref="KeyStore"/> keeps keys, versions, KMS providers and distributions: <see
/// cref="Sqlite.SqliteKeyStore"/> or <see cref="Shared.TableKeyStore"/>. Both keep material and credentials only as
/// envelopes under the <see cref="KeyEncryptionKey"/>, and check what blocks a deletion atomically with it, however
/// many hosts write.
/// </summary>
public abstract class KeyStoreBackend : IDisposable
{
    public abstract Task<bool> TryCreateKeyAsync(KeyRecord record, ReadOnlyMemory<byte> material,
        CancellationToken cancellationToken);

    public abstract Task<KeyRecord?> GetKeyAsync(string name, CancellationToken cancellationToken);

    public abstract Task<IReadOnlyList<KeyRecord>> ListKeysAsync(string? afterName, int limit,
        CancellationToken cancellationToken);

    public abstract Task<KeyRecord?> UpdateKeyAsync(string name, Func<KeyRecord, KeyRecord> change,
        CancellationToken cancellationToken);

    public abstract Task<KeyRecord?> AddVersionAsync(string name, int version, Func<string, byte[]> generate,
        CancellationToken cancellationToken);

    public abstract Task<byte[]?> ReadMaterialAsync(string name, int version, CancellationToken cancellationToken);

    public abstract Task<KeyDeletion> DeleteKeyAsync(string name, CancellationToken cancellationToken);

    public abstract Task<(KmsProviderRecord Record, bool Created,
        IReadOnlyList<string> BlockingKeys)> PutProviderAsync(KmsProviderRecord record, KmsCredentials? credentials,
            CancellationToken cancellationToken);

    public abstract Task<KmsProviderRecord?> GetProviderAsync(string name, CancellationToken cancellationToken);

    public abstract Task<IReadOnlyList<KmsProviderRecord>> ListProvidersAsync(string? afterName, int limit,
        CancellationToken cancellationToken);

    public abstract Task<KmsCredentials?> ReadCredentialsAsync(string name, CancellationToken cancellationToken);

    public abstract Task<(bool Found, IReadOnlyList<string> BlockingKeys)> DeleteProviderAsync(string name,
        CancellationToken cancellationToken);

    public abstract Task<KeyDistributionRecord?> GetDistributionAsync(string kmsName, string keyName,
        CancellationToken cancellationToken);

    public abstract Task<IReadOnlyList<KeyDistributionRecord>> ListDistributionsOfProviderAsync(string kmsName,
        string? afterKey, int limit, CancellationToken cancellationToken);

    public abstract Task<IReadOnlyList<KeyDistributionRecord>> ListDistributionsOfKeyAsync(string keyName,
        CancellationToken cancellationToken);

    public abstract Task<IReadOnlyList<KeyDistributionRecord>> ListDistributionsAsync(string? afterKmsName,
        string? afterKeyName, int limit, CancellationToken cancellationToken);

    public abstract Task<KeyDistributionRecord?> UpsertDistributionAsync(string kmsName, string keyName,
        Func<KeyDistributionRecord?, KeyDistributionRecord> change, CancellationToken cancellationToken);

    public abstract Task<KeyDistributionRecord?> UpdateDistributionAsync(string kmsName, string keyName,
        Func<KeyDistributionRecord, KeyDistributionRecord> change, CancellationToken cancellationToken);

    public abstract Task<bool> DeleteDistributionAsync(string kmsName, string keyName,
        CancellationToken cancellationToken);

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }
}
