using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Data.Sqlite;

namespace EdgeKv.Records.Keys.Sqlite;

/// <summary>
/// The embedded home of <see cref="KeyStore"/>: EdgeKv.db (migration 0014), one JSON document per row. Material and
/// provider credentials are envelopes under the <see cref="KeyEncryptionKey"/>, bound to their row. Writes are
/// serialized; the checks that guard a deletion run inside the deleting transaction.
/// </summary>
public sealed class SqliteKeyStore : KeyStoreBackend
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
    private readonly string connectionString;
    private readonly TimeProvider time;
    private readonly KeyEncryptionKey kek;
    private readonly SemaphoreSlim writes = new(1, 1);

    public SqliteKeyStore(ResourceStoreOptions options, KeyEncryptionKey kek, TimeProvider time)
    {
        this.time = time;
        this.kek = kek;
        connectionString = EdgeKvDatabase.Prepare(options, time).ConnectionString;
    }

    // ---- keys ----

    /// <summary>
    /// Creates a key with its first version from <paramref name="material"/>; false when the name is taken.
    /// </summary>
    public override async Task<bool> TryCreateKeyAsync(KeyRecord record, ReadOnlyMemory<byte> material,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        byte[] envelope = await kek.ProtectAsync(material, KeyStore.MaterialContext(record.Name, 1), cancellationToken);
        return await WriteAsync(async (connection, transaction) =>
        {
            if (await ScalarAsync(connection, transaction, "SELECT 1 FROM managed_keys WHERE name = $n;",
                ("$n", record.Name)) is not null) return false;
            DateTimeOffset now = time.GetUtcNow();
            KeyRecord stored = record with { CreatedAt = now, UpdatedAt = now, LatestVersion = 1 };
            await ExecuteAsync(connection, transaction,
                "INSERT INTO managed_keys (name, document, updated_at) VALUES ($n, $d, $t);",
                ("$n", record.Name), ("$d", JsonSerializer.Serialize(stored, Json)), ("$t", Stamp(now)));
            await ExecuteAsync(connection, transaction,
                "INSERT INTO managed_key_versions (key_name, version, material) VALUES ($n, 1, $m);",
                ("$n", record.Name), ("$m", envelope));
            return true;
        }, cancellationToken);
    }

    public override async Task<KeyRecord?> GetKeyAsync(string name, CancellationToken cancellationToken)
    {
        await using SqliteConnection connection = Open();
        return Read<KeyRecord>(await ScalarAsync(connection, null, "SELECT document FROM managed_keys WHERE name = $n;",
            ("$n", name)));
    }

    /// <summary>A page of keys in name order after <paramref name="afterName"/>.</summary>
    public override Task<IReadOnlyList<KeyRecord>> ListKeysAsync(string? afterName, int limit,
        CancellationToken cancellationToken) =>
        ListAsync<KeyRecord>("SELECT document FROM managed_keys WHERE $a IS NULL OR name > $a ORDER BY name LIMIT $l;",
            cancellationToken, ("$a", afterName), ("$l", limit));

    /// <summary>
    /// Applies <paramref name="change"/> atomically (name, type and versions are kept); null when there is no such key.
    /// </summary>
    public override Task<KeyRecord?> UpdateKeyAsync(string name, Func<KeyRecord, KeyRecord> change,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        return WriteAsync(async (connection, transaction) =>
        {
            KeyRecord? current = Read<KeyRecord>(await ScalarAsync(connection, transaction,
                "SELECT document FROM managed_keys WHERE name = $n;", ("$n", name)));
            if (current is null) return null;
            KeyRecord updated = change(current) with
            {
                Name = current.Name, Type = current.Type, Versions = current.Versions,
                    LatestVersion = current.LatestVersion, CreatedAt = current.CreatedAt, UpdatedAt = time.GetUtcNow(),
            };
            await ExecuteAsync(connection, transaction,
                "UPDATE managed_keys SET document = $d, updated_at = $t WHERE name = $n;",
                ("$n", current.Name), ("$d", JsonSerializer.Serialize(updated, Json)),
                ("$t", Stamp(updated.UpdatedAt)));
            return updated;
        }, cancellationToken);
    }

    /// <summary>
    /// Adds version <paramref name="version"/> when the key's latest is the one before it, with material from <paramref
    /// name="generate"/> (called only then); when the key already has that version, nothing changes (a retried
    /// rotation). Null when there is no such key; throws when <paramref name="version"/> skips a version.
    /// </summary>
    public override async Task<KeyRecord?> AddVersionAsync(string name, int version, Func<string, byte[]> generate,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(generate);
        KeyRecord? key = await GetKeyAsync(name, cancellationToken);
        if (key is null || key.LatestVersion >= version) return key;
        if (version != key.LatestVersion + 1) throw new InvalidOperationException($"Key '{name}' is at version {key.LatestVersion}; version {version} cannot be added next.");
        byte[] material = generate(key.Type);
        try
        {
            string? pem = KeyMaterial.PublicKeyPem(key.Type, material);
            byte[] envelope = await kek.ProtectAsync(material, KeyStore.MaterialContext(key.Name, version),
                cancellationToken);
            return await WriteAsync(async (connection, transaction) =>
            {
                KeyRecord? current = Read<KeyRecord>(await ScalarAsync(connection, transaction,
                    "SELECT document FROM managed_keys WHERE name = $n;", ("$n", name)));
                if (current is null || current.LatestVersion >= version) return current;
                DateTimeOffset now = time.GetUtcNow();
                KeyRecord updated = current with { LatestVersion = version, UpdatedAt = now,
                    Versions = [.. current.Versions, new KeyVersionInfo(version, now, pem)] };
                await ExecuteAsync(connection, transaction,
                    "INSERT INTO managed_key_versions (key_name, version, material) VALUES ($n, $v, $m);",
                    ("$n", current.Name), ("$v", version), ("$m", envelope));
                await ExecuteAsync(connection, transaction,
                    "UPDATE managed_keys SET document = $d, updated_at = $t WHERE name = $n;",
                    ("$n", current.Name), ("$d", JsonSerializer.Serialize(updated, Json)), ("$t", Stamp(now)));
                return updated;
            }, cancellationToken);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(material);
        }
    }

    /// <summary>A version's material in the clear (the caller zeroes it); null when there is no such version.</summary>
    public override async Task<byte[]?> ReadMaterialAsync(string name, int version, CancellationToken cancellationToken)
    {
        byte[]? envelope;
        string? storedName;
        await using (SqliteConnection connection = Open())
        await using (SqliteCommand command = connection.CreateCommand())
        {
            command.CommandText = "SELECT k.name, v.material FROM managed_key_versions v JOIN managed_keys k ON k.name = v.key_name WHERE v.key_name = $n AND v.version = $v;";
            command.Parameters.AddWithValue("$n", name);
            command.Parameters.AddWithValue("$v", version);
            await using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken)) return null;
            storedName = reader.GetString(0);
            envelope = (byte[])reader.GetValue(1);
        }

        return await kek.UnprotectAsync(envelope, KeyStore.MaterialContext(storedName, version), cancellationToken);
    }

    /// <summary>
    /// Deletes a key and its versions when deletion is allowed and it is distributed nowhere, checked in the same
    /// transaction; otherwise changes nothing and says what blocks it.
    /// </summary>
    public override Task<KeyDeletion> DeleteKeyAsync(string name, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
        {
            KeyRecord? current = Read<KeyRecord>(await ScalarAsync(connection, transaction,
                "SELECT document FROM managed_keys WHERE name = $n;", ("$n", name)));
            if (current is null) return new KeyDeletion(KeyDeletionOutcome.NotFound, []);
            IReadOnlyList<string> providers = await ColumnAsync(connection, transaction,
                "SELECT kms_name FROM key_distributions WHERE key_name = $n ORDER BY kms_name;", ("$n", name));
            if (!current.DeletionAllowed) return new KeyDeletion(KeyDeletionOutcome.NotAllowed, providers);
            if (providers.Count > 0) return new KeyDeletion(KeyDeletionOutcome.Distributed, providers);
            await ExecuteAsync(connection, transaction, "DELETE FROM managed_key_versions WHERE key_name = $n;",
                ("$n", name));
            await ExecuteAsync(connection, transaction, "DELETE FROM managed_keys WHERE name = $n;", ("$n", name));
            return new KeyDeletion(KeyDeletionOutcome.Deleted, []);
        }, cancellationToken);

    // ---- KMS providers ----

    /// <summary>
    /// Creates or updates a provider. Credentials, when given, replace the stored ones; a new key collection is refused
    /// (returned unchanged, <c>Changed</c> false) while keys are distributed to the provider.
    /// </summary>
    public override async Task<(KmsProviderRecord Record, bool Created,
        IReadOnlyList<string> BlockingKeys)> PutProviderAsync(KmsProviderRecord record, KmsCredentials? credentials,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        byte[]? envelope = credentials is null ? null
            : await kek.ProtectAsync(JsonSerializer.SerializeToUtf8Bytes(credentials, Json),
                KeyStore.CredentialsContext(record.Name), cancellationToken);
        return await WriteAsync(async (connection, transaction) =>
        {
            KmsProviderRecord? current = Read<KmsProviderRecord>(await ScalarAsync(connection, transaction,
                "SELECT document FROM kms_providers WHERE name = $n;", ("$n", record.Name)));
            DateTimeOffset now = time.GetUtcNow();
            if (current is null)
            {
                KmsProviderRecord created = record with { HasCredentials = envelope is not null, CreatedAt = now,
                    UpdatedAt = now };
                await ExecuteAsync(connection, transaction,
                    "INSERT INTO kms_providers (name, document, credentials, updated_at) VALUES ($n, $d, $c, $t);",
                    ("$n", record.Name), ("$d", JsonSerializer.Serialize(created, Json)), ("$c", envelope),
                    ("$t", Stamp(now)));
                return (created, true, (IReadOnlyList<string>)[]);
            }

            if (!string.Equals(current.KeyCollection, record.KeyCollection, StringComparison.OrdinalIgnoreCase))
            {
                IReadOnlyList<string> keys = await ColumnAsync(connection, transaction,
                    "SELECT key_name FROM key_distributions WHERE kms_name = $n ORDER BY key_name;",
                    ("$n", current.Name));
                if (keys.Count > 0) return (current, false, keys);
            }

            KmsProviderRecord updated = current with
            {
                KeyCollection = record.KeyCollection, Provider = record.Provider,
                    HasCredentials = envelope is not null || current.HasCredentials, UpdatedAt = now,
            };
            await ExecuteAsync(connection, transaction, envelope is null
                    ? "UPDATE kms_providers SET document = $d, updated_at = $t WHERE name = $n;"
                    : "UPDATE kms_providers SET document = $d, credentials = $c, updated_at = $t WHERE name = $n;",
                ("$n", current.Name), ("$d", JsonSerializer.Serialize(updated, Json)), ("$c", envelope),
                ("$t", Stamp(now)));
            return (updated, false, (IReadOnlyList<string>)[]);
        }, cancellationToken);
    }

    public override async Task<KmsProviderRecord?> GetProviderAsync(string name, CancellationToken cancellationToken)
    {
        await using SqliteConnection connection = Open();
        return Read<KmsProviderRecord>(await ScalarAsync(connection, null,
            "SELECT document FROM kms_providers WHERE name = $n;", ("$n", name)));
    }

    public override Task<IReadOnlyList<KmsProviderRecord>> ListProvidersAsync(string? afterName, int limit,
        CancellationToken cancellationToken) =>
        ListAsync<KmsProviderRecord>("SELECT document FROM kms_providers WHERE $a IS NULL OR name > $a ORDER BY name LIMIT $l;", cancellationToken, ("$a", afterName), ("$l", limit));

    /// <summary>
    /// The provider's own credentials in the clear, for the activity that signs in with them; null when it has none.
    /// </summary>
    public override async Task<KmsCredentials?> ReadCredentialsAsync(string name, CancellationToken cancellationToken)
    {
        byte[]? envelope;
        string storedName;
        await using (SqliteConnection connection = Open())
        await using (SqliteCommand command = connection.CreateCommand())
        {
            command.CommandText = "SELECT name, credentials FROM kms_providers WHERE name = $n;";
            command.Parameters.AddWithValue("$n", name);
            await using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken) || reader.IsDBNull(1)) return null;
            storedName = reader.GetString(0);
            envelope = (byte[])reader.GetValue(1);
        }

        byte[] clear = await kek.UnprotectAsync(envelope, KeyStore.CredentialsContext(storedName), cancellationToken);
        try
        {
            return JsonSerializer.Deserialize<KmsCredentials>(clear, Json);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(clear);
        }
    }

    /// <summary>
    /// Deletes a provider when no key is distributed to it (checked in the same transaction); otherwise says which keys
    /// block it.
    /// </summary>
    public override Task<(bool Found, IReadOnlyList<string> BlockingKeys)> DeleteProviderAsync(string name,
        CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
        {
            if (await ScalarAsync(connection, transaction, "SELECT 1 FROM kms_providers WHERE name = $n;",
                ("$n", name)) is null) return (false, (IReadOnlyList<string>)[]);
            IReadOnlyList<string> keys = await ColumnAsync(connection, transaction,
                "SELECT key_name FROM key_distributions WHERE kms_name = $n ORDER BY key_name;", ("$n", name));
            if (keys.Count == 0) await ExecuteAsync(connection, transaction,
                "DELETE FROM kms_providers WHERE name = $n;", ("$n", name));
            return (true, keys);
        }, cancellationToken);

    // ---- distributions ----

    public override async Task<KeyDistributionRecord?> GetDistributionAsync(string kmsName, string keyName,
        CancellationToken cancellationToken)
    {
        await using SqliteConnection connection = Open();
        return Read<KeyDistributionRecord>(await ScalarAsync(connection, null,
            "SELECT document FROM key_distributions WHERE kms_name = $k AND key_name = $n;", ("$k", kmsName),
            ("$n", keyName)));
    }

    public override Task<IReadOnlyList<KeyDistributionRecord>> ListDistributionsOfProviderAsync(string kmsName,
        string? afterKey, int limit, CancellationToken cancellationToken) =>
        ListAsync<KeyDistributionRecord>("SELECT document FROM key_distributions WHERE kms_name = $k AND ($a IS NULL OR key_name > $a) ORDER BY key_name LIMIT $l;",
            cancellationToken, ("$k", kmsName), ("$a", afterKey), ("$l", limit));

    public override Task<IReadOnlyList<KeyDistributionRecord>> ListDistributionsOfKeyAsync(string keyName,
        CancellationToken cancellationToken) =>
        ListAsync<KeyDistributionRecord>("SELECT document FROM key_distributions WHERE key_name = $n ORDER BY kms_name;", cancellationToken, ("$n", keyName));

    /// <summary>
    /// A page of every distribution, in (provider, key) order after the given position (for the drift check).
    /// </summary>
    public override Task<IReadOnlyList<KeyDistributionRecord>> ListDistributionsAsync(string? afterKmsName,
        string? afterKeyName, int limit, CancellationToken cancellationToken) =>
        ListAsync<KeyDistributionRecord>(
            "SELECT document FROM key_distributions WHERE $k IS NULL OR kms_name > $k OR (kms_name = $k AND key_name > $n) ORDER BY kms_name, key_name LIMIT $l;",
            cancellationToken, ("$k", afterKmsName), ("$n", afterKeyName ?? string.Empty), ("$l", limit));

    /// <summary>
    /// Creates the distribution (when the key and the provider both exist) or changes it through <paramref
    /// name="change"/>; null when the key or the provider is gone.
    /// </summary>
    public override Task<KeyDistributionRecord?> UpsertDistributionAsync(string kmsName, string keyName,
        Func<KeyDistributionRecord?, KeyDistributionRecord> change,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        return WriteAsync(async (connection, transaction) =>
        {
            string? key = await ScalarAsync(connection, transaction, "SELECT name FROM managed_keys WHERE name = $n;",
                ("$n", keyName)) as string;
            string? kms = await ScalarAsync(connection, transaction, "SELECT name FROM kms_providers WHERE name = $n;",
                ("$n", kmsName)) as string;
            if (key is null || kms is null) return null;
            KeyDistributionRecord? current = Read<KeyDistributionRecord>(await ScalarAsync(connection, transaction,
                "SELECT document FROM key_distributions WHERE kms_name = $k AND key_name = $n;", ("$k", kms),
                ("$n", key)));
            DateTimeOffset now = time.GetUtcNow();
            KeyDistributionRecord updated = change(current) with { KmsName = kms, KeyName = key,
                CreatedAt = current?.CreatedAt ?? now, UpdatedAt = now };
            await ExecuteAsync(connection, transaction,
                "INSERT INTO key_distributions (kms_name, key_name, document, updated_at) VALUES ($k, $n, $d, $t) ON CONFLICT (kms_name, key_name) DO UPDATE SET document = $d, updated_at = $t;",
                ("$k", kms), ("$n", key), ("$d", JsonSerializer.Serialize(updated, Json)), ("$t", Stamp(now)));
            return updated;
        }, cancellationToken);
    }

    /// <summary>Changes an existing distribution; null when there is none.</summary>
    public override Task<KeyDistributionRecord?> UpdateDistributionAsync(string kmsName, string keyName,
        Func<KeyDistributionRecord, KeyDistributionRecord> change,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        return WriteAsync(async (connection, transaction) =>
        {
            KeyDistributionRecord? current = Read<KeyDistributionRecord>(await ScalarAsync(connection, transaction,
                "SELECT document FROM key_distributions WHERE kms_name = $k AND key_name = $n;", ("$k", kmsName),
                ("$n", keyName)));
            if (current is null) return null;
            KeyDistributionRecord updated = change(current) with { KmsName = current.KmsName, KeyName = current.KeyName,
                CreatedAt = current.CreatedAt, UpdatedAt = time.GetUtcNow() };
            await ExecuteAsync(connection, transaction,
                "UPDATE key_distributions SET document = $d, updated_at = $t WHERE kms_name = $k AND key_name = $n;",
                ("$k", current.KmsName), ("$n", current.KeyName), ("$d", JsonSerializer.Serialize(updated, Json)),
                ("$t", Stamp(updated.UpdatedAt)));
            return updated;
        }, cancellationToken);
    }

    public override Task<bool> DeleteDistributionAsync(string kmsName, string keyName,
        CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
            await ExecuteAsync(connection, transaction,
                "DELETE FROM key_distributions WHERE kms_name = $k AND key_name = $n;", ("$k", kmsName),
                ("$n", keyName)) == 1,
            cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing) writes.Dispose();
    }

    private SqliteConnection Open() => EdgeKvDatabase.Open(connectionString);

    private async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        await writes.WaitAsync(cancellationToken);
        try
        {
            await using SqliteConnection connection = Open();
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, cancellationToken);
            T result = await work(connection, transaction);
            await transaction.CommitAsync(cancellationToken);
            return result;
        }
        finally
        {
            writes.Release();
        }
    }

    private async Task<IReadOnlyList<T>> ListAsync<T>(string sql, CancellationToken cancellationToken,
        params (string Name, object? Value)[] parameters)
    {
        await using SqliteConnection connection = Open();
        await using SqliteCommand command = Command(connection, null, sql, parameters);
        var items = new List<T>();
        await using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) items.Add(JsonSerializer.Deserialize<T>(reader.GetString(0),
            Json)!);
        return items;
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, SqliteTransaction? transaction,
        string sql, params (string Name, object? Value)[] parameters)
    {
        await using SqliteCommand command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteScalarAsync();
    }

    private static async Task<IReadOnlyList<string>> ColumnAsync(SqliteConnection connection,
        SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        await using SqliteCommand command = Command(connection, transaction, sql, parameters);
        var values = new List<string>();
        await using SqliteDataReader reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) values.Add(reader.GetString(0));
        return values;
    }

    private static async Task<int> ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql,
        params (string Name, object? Value)[] parameters)
    {
        await using SqliteCommand command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync();
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql,
        (string Name, object? Value)[] parameters)
    {
        SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach ((string name, object? value) in parameters) command.Parameters.AddWithValue(name,
            value ?? DBNull.Value);
        return command;
    }

    private static T? Read<T>(object? document) where T : class => document is string json ? JsonSerializer.Deserialize<T>(json, Json) : null;

    private static string Stamp(DateTimeOffset value) => value.ToString("O", CultureInfo.InvariantCulture);
}
