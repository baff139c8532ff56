using System.Globalization;

namespace EdgeKv.Records.Keys;

/// <summary>
/// EdgeKv's keys, KMS providers and distributions: by default in EdgeKv.db, with several hosts in Table storage
/// (<see cref="Shared.TableKeyStore"/>). Key material and provider credentials go in and out of this class only in the
/// clear to the caller; at rest they are envelopes under the <see cref="KeyEncryptionKey"/>, bound to their row.
/// </summary>
public sealed class KeyStore : IDisposable
{
    private readonly KeyStoreBackend backend;

    /// <summary>The embedded store, in the SQLite file of the resource records.</summary>
    public KeyStore(ResourceStoreOptions options, KeyEncryptionKey kek, TimeProvider time)
        : this(new Sqlite.SqliteKeyStore(options, kek, time))
    {
    }

    public KeyStore(KeyStoreBackend backend)
    {
        ArgumentNullException.ThrowIfNull(backend);
        this.backend = backend;
    }

    /// <summary>
    /// Creates a key with its first version from <paramref name="material"/>; false when the name is taken.
    /// </summary>
    public Task<bool> TryCreateKeyAsync(KeyRecord record, ReadOnlyMemory<byte> material,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return backend.TryCreateKeyAsync(record, material, cancellationToken);
    }

    public Task<KeyRecord?> GetKeyAsync(string name, CancellationToken cancellationToken = default) =>
        backend.GetKeyAsync(name, cancellationToken);

    /// <summary>A page of keys in name order after <paramref name="afterName"/>.</summary>
    public Task<IReadOnlyList<KeyRecord>> ListKeysAsync(string? afterName, int limit,
        CancellationToken cancellationToken = default) =>
        backend.ListKeysAsync(afterName, limit, cancellationToken);

    /// <summary>
    /// Applies <paramref name="change"/> atomically (name, type and versions are kept); null when there is no such key.
    /// </summary>
    public Task<KeyRecord?> UpdateKeyAsync(string name, Func<KeyRecord, KeyRecord> change,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        return backend.UpdateKeyAsync(name, change, cancellationToken);
    }

    /// <summary>
    /// Adds version <paramref name="version"/> when the key's latest is the one before it, with material from <paramref
    /// name="generate"/> (called only then); when the key already has that version, nothing changes (a retried
    /// rotation). Null when there is no such key; throws when <paramref name="version"/> skips a version.
    /// </summary>
    public Task<KeyRecord?> AddVersionAsync(string name, int version, Func<string, byte[]> generate,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(generate);
        return backend.AddVersionAsync(name, version, generate, cancellationToken);
    }

    /// <summary>A version's material in the clear (the caller zeroes it); null when there is no such version.</summary>
    public Task<byte[]?> ReadMaterialAsync(string name, int version, CancellationToken cancellationToken = default) =>
        backend.ReadMaterialAsync(name, version, cancellationToken);

    /// <summary>
    /// Deletes a key and its versions when deletion is allowed and it is distributed nowhere, checked atomically with
    /// the deletion; otherwise changes nothing and says what blocks it.
    /// </summary>
    public Task<KeyDeletion> DeleteKeyAsync(string name, CancellationToken cancellationToken = default) =>
        backend.DeleteKeyAsync(name, cancellationToken);

    /// <summary>
    /// Creates or updates a provider. Credentials, when given, replace the stored ones; a new key collection is refused
    /// (returned unchanged, with the blocking keys) while keys are distributed to the provider.
    /// </summary>
    public Task<(KmsProviderRecord Record, bool Created,
        IReadOnlyList<string> BlockingKeys)> PutProviderAsync(KmsProviderRecord record, KmsCredentials? credentials,
            CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return backend.PutProviderAsync(record, credentials, cancellationToken);
    }

    public Task<KmsProviderRecord?> GetProviderAsync(string name, CancellationToken cancellationToken = default) =>
        backend.GetProviderAsync(name, cancellationToken);

    public Task<IReadOnlyList<KmsProviderRecord>> ListProvidersAsync(string? afterName, int limit,
        CancellationToken cancellationToken = default) =>
        backend.ListProvidersAsync(afterName, limit, cancellationToken);

    /// <summary>
    /// The provider's own credentials in the clear, for the activity that signs in with them; null when it has none.
    /// </summary>
    public Task<KmsCredentials?> ReadCredentialsAsync(string name, CancellationToken cancellationToken = default) =>
        backend.ReadCredentialsAsync(name, cancellationToken);

    /// <summary>
    /// Deletes a provider when no key is distributed to it (checked atomically with the deletion); otherwise says which
    /// keys block it.
    /// </summary>
    public Task<(bool Found, IReadOnlyList<string> BlockingKeys)> DeleteProviderAsync(string name,
        CancellationToken cancellationToken = default) =>
        backend.DeleteProviderAsync(name, cancellationToken);

    public Task<KeyDistributionRecord?> GetDistributionAsync(string kmsName, string keyName,
        CancellationToken cancellationToken = default) =>
        backend.GetDistributionAsync(kmsName, keyName, cancellationToken);

    public Task<IReadOnlyList<KeyDistributionRecord>> ListDistributionsOfProviderAsync(string kmsName, string? afterKey,
        int limit, CancellationToken cancellationToken = default) =>
        backend.ListDistributionsOfProviderAsync(kmsName, afterKey, limit, cancellationToken);

    public Task<IReadOnlyList<KeyDistributionRecord>> ListDistributionsOfKeyAsync(string keyName,
        CancellationToken cancellationToken = default) =>
        backend.ListDistributionsOfKeyAsync(keyName, cancellationToken);

    /// <summary>
    /// A page of every distribution, in (provider, key) order after the given position (for the drift check).
    /// </summary>
    public Task<IReadOnlyList<KeyDistributionRecord>> ListDistributionsAsync(string? afterKmsName, string? afterKeyName,
        int limit, CancellationToken cancellationToken = default) =>
        backend.ListDistributionsAsync(afterKmsName, afterKeyName, limit, cancellationToken);

    /// <summary>
    /// Creates the distribution (when the key and the provider both exist) or changes it through <paramref
    /// name="change"/>; null when the key or the provider is gone.
    /// </summary>
    public Task<KeyDistributionRecord?> UpsertDistributionAsync(string kmsName, string keyName,
        Func<KeyDistributionRecord?, KeyDistributionRecord> change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        return backend.UpsertDistributionAsync(kmsName, keyName, change, cancellationToken);
    }

    /// <summary>Changes an existing distribution; null when there is none.</summary>
    public Task<KeyDistributionRecord?> UpdateDistributionAsync(string kmsName, string keyName,
        Func<KeyDistributionRecord, KeyDistributionRecord> change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        return backend.UpdateDistributionAsync(kmsName, keyName, change, cancellationToken);
    }

    public Task<bool> DeleteDistributionAsync(string kmsName, string keyName,
        CancellationToken cancellationToken = default) =>
        backend.DeleteDistributionAsync(kmsName, keyName, cancellationToken);

    public void Dispose() => backend.Dispose();

    /// <summary>The associated data binding a version's envelope to its row.</summary>
    public static string MaterialContext(string keyName, int version) => string.Create(CultureInfo.InvariantCulture,
        $"edgekv-key:{keyName.ToLowerInvariant()}:{version}");

    public static string CredentialsContext(string kmsName) => $"edgekv-kms-credentials:{kmsName.ToLowerInvariant()}";
}

public enum KeyDeletionOutcome
{
    Deleted,
    NotFound,
    NotAllowed,
    Distributed,
}

/// <summary>What a deletion did, and the providers the key is distributed to when that blocked it.</summary>
public sealed record KeyDeletion(KeyDeletionOutcome Outcome, IReadOnlyList<string> Providers);
