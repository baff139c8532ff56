using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Data.Tables;
using EdgeKv.Records.Tables;

namespace EdgeKv.Records.Keys.Tables;

/// <summary>
/// The shared home of <see cref="KeyStore"/>: one Table storage partition (so related rows change in one entity-group
/// transaction) with a row per key (<c>k|name</c>), per key version (<c>v|name|0000000002</c>, its envelope), per KMS
/// provider (<c>p|name</c>, with its credentials' envelope) and per distribution (<c>d|provider|key</c>), names without
/// case. Every write carries the ETag of what it read and retries on a conflict; a distribution is written together
/// with a touch of its key's and its provider's rows under their ETags, so a deletion of the key or provider, or a
/// change of the provider's key collection, that checked "distributed nowhere" cannot commit past a distribution made
/// meanwhile. Material and credentials are envelopes under the <see cref="KeyEncryptionKey"/>, which every host must
/// share.
/// </summary>
public sealed class TableKeyStore : KeyStoreBackend
{
    private const string Partition = "keys";
    private const string IncarnationProperty = "Incarnation";
    private const int DocumentChunk = 30_000; // characters per string property (Table storage takes 32K UTF-16 characters each)
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
    private readonly TableClient table;
    private readonly KeyEncryptionKey kek;
    private readonly TimeProvider time;

    public TableKeyStore(SharedStoreAccount account, KeyEncryptionKey kek, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(kek);
        table = account.Table("Keys");
        this.kek = kek;
        this.time = time;
    }

    // ---- keys ----

    public override async Task<bool> TryCreateKeyAsync(KeyRecord record, ReadOnlyMemory<byte> material,
        CancellationToken cancellationToken)
    {
        byte[] envelope = await kek.ProtectAsync(material, KeyStore.MaterialContext(record.Name, 1), cancellationToken);
        DateTimeOffset now = time.GetUtcNow();
        KeyRecord stored = record with { CreatedAt = now, UpdatedAt = now, LatestVersion = 1 };
        TableEntity row = Document(KeyRow(record.Name), stored);
        string incarnation = Guid.NewGuid().ToString("N");
        row[IncarnationProperty] = incarnation;
        try
        {
            await table.SubmitTransactionAsync(
            [
                new(TableTransactionActionType.Add, row),
                // Upsert: a deleted key of the same name may have left versions behind (removed after its row).
                new(TableTransactionActionType.UpsertReplace, VersionEntity(record.Name, 1, envelope, incarnation)),
            ], cancellationToken);
            return true;
        }
        catch (TableTransactionFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    public override async Task<KeyRecord?> GetKeyAsync(string name, CancellationToken cancellationToken) =>
        (await ReadAsync<KeyRecord>(KeyRow(name), cancellationToken))?.Record;

    public override Task<IReadOnlyList<KeyRecord>> ListKeysAsync(string? afterName, int limit,
        CancellationToken cancellationToken) =>
        ListAsync<KeyRecord>(TableKeys.PrefixFilter(Partition, "k|", afterName is null ? null : KeyRow(afterName)),
            limit, cancellationToken);

    public override async Task<KeyRecord?> UpdateKeyAsync(string name, Func<KeyRecord, KeyRecord> change,
        CancellationToken cancellationToken)
    {
        for (int attempt = 0; ; attempt++)
        {
            if (await ReadAsync<KeyRecord>(KeyRow(name), cancellationToken) is not (var current, var etag)) return null;
            KeyRecord updated = change(current) with
            {
                Name = current.Name, Type = current.Type, Versions = current.Versions,
                    LatestVersion = current.LatestVersion, CreatedAt = current.CreatedAt, UpdatedAt = time.GetUtcNow(),
            };
            try
            {
                // Merge keeps the row's incarnation (DocumentParts says which document properties count).
                await table.UpdateEntityAsync(Document(KeyRow(name), updated), etag, TableUpdateMode.Merge,
                    cancellationToken);
                return updated;
            }
            catch (RequestFailedException ex) when (ex.Status is 412 or 404)
            {
                await TableKeys.BackoffAsync(attempt, cancellationToken);
            }
        }
    }

    public override async Task<KeyRecord?> AddVersionAsync(string name, int version, Func<string, byte[]> generate,
        CancellationToken cancellationToken)
    {
        KeyRecord? key = await GetKeyAsync(name, cancellationToken);
        if (key is null || key.LatestVersion >= version) return key;
        if (version != key.LatestVersion + 1) throw new InvalidOperationException($"Key '{name}' is at version {key.LatestVersion}; version {version} cannot be added next.");
        byte[] material = generate(key.Type);
        try
        {
            string? pem = KeyMaterial.PublicKeyPem(key.Type, material);
            byte[] envelope = await kek.ProtectAsync(material, KeyStore.MaterialContext(key.Name, version),
                cancellationToken);
            for (int attempt = 0; ; attempt++)
            {
                if (await ReadKeyAsync(name, cancellationToken) is not (var current, var etag,
                    var incarnation)) return null;
                if (current.LatestVersion >= version) return current;
                DateTimeOffset now = time.GetUtcNow();
                KeyRecord updated = current with { LatestVersion = version, UpdatedAt = now,
                    Versions = [.. current.Versions, new KeyVersionInfo(version, now, pem)] };
                try
                {
                    // The key row under its ETag: of hosts racing to add this version, one commits and the others find
                    // it added.
                    await table.SubmitTransactionAsync(
                    [
                        new(TableTransactionActionType.UpdateMerge, Document(KeyRow(name), updated), etag),
                        new(TableTransactionActionType.UpsertReplace,
                            VersionEntity(name, version, envelope, incarnation)),
                    ], cancellationToken);
                    return updated;
                }
                catch (TableTransactionFailedException ex) when (ex.Status is 412 or 404)
                {
                    await TableKeys.BackoffAsync(attempt, cancellationToken);
                }
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(material);
        }
    }

    public override async Task<byte[]?> ReadMaterialAsync(string name, int version, CancellationToken cancellationToken)
    {
        if (await ReadKeyAsync(name, cancellationToken) is not (var key, _,
            var incarnation) || version < 1 || version > key.LatestVersion) return null;
        NullableResponse<TableEntity> row = await table.GetEntityIfExistsAsync<TableEntity>(Partition,
            VersionRow(name, version), ["Material", IncarnationProperty], cancellationToken);
        if (!row.HasValue || row.Value!.GetString(IncarnationProperty) != incarnation) return null; // a version of a deleted key of the same name
        return await kek.UnprotectAsync(row.Value!.GetBinary("Material"), KeyStore.MaterialContext(key.Name, version),
            cancellationToken);
    }

    public override async Task<KeyDeletion> DeleteKeyAsync(string name, CancellationToken cancellationToken)
    {
        for (int attempt = 0; ; attempt++)
        {
            if (await ReadKeyAsync(name, cancellationToken) is not (var current, var etag,
                var incarnation)) return new KeyDeletion(KeyDeletionOutcome.NotFound, []);
            IReadOnlyList<string> providers = [.. (await ListDistributionsOfKeyAsync(name,
                cancellationToken)).Select(d => d.KmsName)];
            if (!current.DeletionAllowed) return new KeyDeletion(KeyDeletionOutcome.NotAllowed, providers);
            if (providers.Count > 0) return new KeyDeletion(KeyDeletionOutcome.Distributed, providers);
            try
            {
                // The key row goes under the ETag the check read: a distribution made meanwhile touched it, so this
                // fails and looks again.
                await table.DeleteEntityAsync(Partition, KeyRow(name), etag, cancellationToken);
            }
            catch (RequestFailedException ex) when (ex.Status is 412 or 404)
            {
                await TableKeys.BackoffAsync(attempt, cancellationToken);
                continue;
            }

            // The versions follow. With the key row gone they are unreachable; only this incarnation's go, and each
            // under its ETag, so a key of the same name created meanwhile keeps its own.
            string versions = TableKeys.PrefixFilter(Partition,
                $"v|{TableKeys.Fold(name)}|") + " and " + TableClient.CreateQueryFilter($"Incarnation eq {incarnation}");
            await foreach (TableEntity v in table.QueryAsync<TableEntity>(versions, 100, ["RowKey"], cancellationToken))
            {
                try
                {
                    await table.DeleteEntityAsync(Partition, v.RowKey, v.ETag, cancellationToken);
                }
                catch (RequestFailedException ex) when (ex.Status == 412)
                {
                    // Overwritten by the new key of the name.
                }
            }

            return new KeyDeletion(KeyDeletionOutcome.Deleted, []);
        }
    }

    // ---- KMS providers ----

    public override async Task<(KmsProviderRecord Record, bool Created,
        IReadOnlyList<string> BlockingKeys)> PutProviderAsync(KmsProviderRecord record, KmsCredentials? credentials,
        CancellationToken cancellationToken)
    {
        byte[]? envelope = credentials is null ? null
            : await kek.ProtectAsync(JsonSerializer.SerializeToUtf8Bytes(credentials, Json),
                KeyStore.CredentialsContext(record.Name), cancellationToken);
        for (int attempt = 0; ; attempt++)
        {
            DateTimeOffset now = time.GetUtcNow();
            try
            {
                if (await ReadAsync<KmsProviderRecord>(ProviderRow(record.Name), cancellationToken) is not (var current,
                    var etag))
                {
                    KmsProviderRecord created = record with { HasCredentials = envelope is not null, CreatedAt = now,
                        UpdatedAt = now };
                    TableEntity row = Document(ProviderRow(record.Name), created);
                    if (envelope is not null) row["Credentials"] = envelope;
                    await table.AddEntityAsync(row, cancellationToken);
                    return (created, true, []);
                }

                if (!string.Equals(current.KeyCollection, record.KeyCollection, StringComparison.OrdinalIgnoreCase))
                {
                    IReadOnlyList<string> keys = [.. (await ListDistributionsOfProviderAsync(current.Name, null,
                        int.MaxValue, cancellationToken)).Select(d => d.KeyName)];
                    if (keys.Count > 0) return (current, false, keys);
                }

                KmsProviderRecord updated = current with
                {
                    KeyCollection = record.KeyCollection, Provider = record.Provider,
                        HasCredentials = envelope is not null || current.HasCredentials, UpdatedAt = now,
                };
                TableEntity changed = Document(ProviderRow(record.Name), updated);
                if (envelope is not null) changed["Credentials"] = envelope;
                // Merge keeps the stored credentials when none are given; the ETag keeps out a distribution made since
                // the check.
                await table.UpdateEntityAsync(changed, etag, TableUpdateMode.Merge, cancellationToken);
                return (updated, false, []);
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412 or 404)
            {
                await TableKeys.BackoffAsync(attempt, cancellationToken);
            }
        }
    }

    public override async Task<KmsProviderRecord?> GetProviderAsync(string name, CancellationToken cancellationToken) =>
        (await ReadAsync<KmsProviderRecord>(ProviderRow(name), cancellationToken))?.Record;

    public override Task<IReadOnlyList<KmsProviderRecord>> ListProvidersAsync(string? afterName, int limit,
        CancellationToken cancellationToken) =>
        ListAsync<KmsProviderRecord>(TableKeys.PrefixFilter(Partition, "p|",
            afterName is null ? null : ProviderRow(afterName)), limit, cancellationToken);

    public override async Task<KmsCredentials?> ReadCredentialsAsync(string name, CancellationToken cancellationToken)
    {
        NullableResponse<TableEntity> row = await table.GetEntityIfExistsAsync<TableEntity>(Partition,
            ProviderRow(name), cancellationToken: cancellationToken);
        if (!row.HasValue || row.Value!.GetBinary("Credentials") is not { } envelope) return null;
        KmsProviderRecord provider = ReadDocument<KmsProviderRecord>(row.Value);
        byte[] clear = await kek.UnprotectAsync(envelope, KeyStore.CredentialsContext(provider.Name),
            cancellationToken);
        try
        {
            return JsonSerializer.Deserialize<KmsCredentials>(clear, Json);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(clear);
        }
    }

    public override async Task<(bool Found, IReadOnlyList<string> BlockingKeys)> DeleteProviderAsync(string name,
        CancellationToken cancellationToken)
    {
        for (int attempt = 0; ; attempt++)
        {
            if (await ReadAsync<KmsProviderRecord>(ProviderRow(name), cancellationToken) is not (var current,
                var etag)) return (false, []);
            IReadOnlyList<string> keys = [.. (await ListDistributionsOfProviderAsync(current.Name, null, int.MaxValue,
                cancellationToken)).Select(d => d.KeyName)];
            if (keys.Count > 0) return (true, keys);
            try
            {
                await table.DeleteEntityAsync(Partition, ProviderRow(name), etag, cancellationToken);
                return (true, []);
            }
            catch (RequestFailedException ex) when (ex.Status is 412 or 404)
            {
                await TableKeys.BackoffAsync(attempt, cancellationToken);
            }
        }
    }

    // ---- distributions ----

    public override async Task<KeyDistributionRecord?> GetDistributionAsync(string kmsName, string keyName,
        CancellationToken cancellationToken) =>
        (await ReadAsync<KeyDistributionRecord>(DistributionRow(kmsName, keyName), cancellationToken))?.Record;

    public override Task<IReadOnlyList<KeyDistributionRecord>> ListDistributionsOfProviderAsync(string kmsName,
        string? afterKey, int limit, CancellationToken cancellationToken)
    {
        string prefix = $"d|{TableKeys.Fold(kmsName)}|";
        return ListAsync<KeyDistributionRecord>(TableKeys.PrefixFilter(Partition, prefix,
            afterKey is null ? null : prefix + TableKeys.Fold(afterKey)), limit, cancellationToken);
    }

    public override Task<IReadOnlyList<KeyDistributionRecord>> ListDistributionsOfKeyAsync(string keyName,
        CancellationToken cancellationToken) =>
        ListAsync<KeyDistributionRecord>(TableKeys.PrefixFilter(Partition,
            "d|") + " and " + TableClient.CreateQueryFilter($"KeyKey eq {TableKeys.Fold(keyName)}"),
            int.MaxValue, cancellationToken);

    public override Task<IReadOnlyList<KeyDistributionRecord>> ListDistributionsAsync(string? afterKmsName,
        string? afterKeyName, int limit, CancellationToken cancellationToken) =>
        ListAsync<KeyDistributionRecord>(
            TableKeys.PrefixFilter(Partition, "d|",
                afterKmsName is null ? null : $"d|{TableKeys.Fold(afterKmsName)}|{TableKeys.Fold(afterKeyName ?? string.Empty)}"),
            limit, cancellationToken);

    public override async Task<KeyDistributionRecord?> UpsertDistributionAsync(string kmsName, string keyName,
        Func<KeyDistributionRecord?, KeyDistributionRecord> change,
        CancellationToken cancellationToken)
    {
        for (int attempt = 0; ; attempt++)
        {
            if (await ReadAsync<KeyRecord>(KeyRow(keyName), cancellationToken) is not (var key,
                var keyETag)) return null;
            if (await ReadAsync<KmsProviderRecord>(ProviderRow(kmsName), cancellationToken) is not (var kms,
                var kmsETag)) return null;
            var current = await ReadAsync<KeyDistributionRecord>(DistributionRow(kmsName, keyName), cancellationToken);
            DateTimeOffset now = time.GetUtcNow();
            KeyDistributionRecord updated = change(current?.Record) with { KmsName = kms.Name, KeyName = key.Name,
                CreatedAt = current?.Record.CreatedAt ?? now, UpdatedAt = now };
            TableEntity row = Document(DistributionRow(kmsName, keyName), updated);
            row["KeyKey"] = TableKeys.Fold(key.Name);
            try
            {
                await table.SubmitTransactionAsync(
                [
                    Touch(KeyRow(keyName), keyETag, now),
                    Touch(ProviderRow(kmsName), kmsETag, now),
                    current is null ? new(TableTransactionActionType.Add,
                        row) : new(TableTransactionActionType.UpdateReplace, row, current.Value.ETag),
                ], cancellationToken);
                return updated;
            }
            catch (TableTransactionFailedException ex) when (ex.Status is 409 or 412 or 404)
            {
                await TableKeys.BackoffAsync(attempt, cancellationToken);
            }
        }
    }

    public override async Task<KeyDistributionRecord?> UpdateDistributionAsync(string kmsName, string keyName,
        Func<KeyDistributionRecord, KeyDistributionRecord> change,
        CancellationToken cancellationToken)
    {
        for (int attempt = 0; ; attempt++)
        {
            if (await ReadAsync<KeyDistributionRecord>(DistributionRow(kmsName, keyName),
                cancellationToken) is not (var current, var etag)) return null;
            KeyDistributionRecord updated = change(current) with { KmsName = current.KmsName, KeyName = current.KeyName,
                CreatedAt = current.CreatedAt, UpdatedAt = time.GetUtcNow() };
            TableEntity row = Document(DistributionRow(kmsName, keyName), updated);
            row["KeyKey"] = TableKeys.Fold(current.KeyName);
            try
            {
                await table.UpdateEntityAsync(row, etag, TableUpdateMode.Replace, cancellationToken);
                return updated;
            }
            catch (RequestFailedException ex) when (ex.Status is 412 or 404)
            {
                await TableKeys.BackoffAsync(attempt, cancellationToken);
            }
        }
    }

    public override async Task<bool> DeleteDistributionAsync(string kmsName, string keyName,
        CancellationToken cancellationToken)
    {
        for (int attempt = 0; ; attempt++)
        {
            if (await ReadAsync<KeyDistributionRecord>(DistributionRow(kmsName, keyName), cancellationToken) is not (_,
                var etag)) return false;
            try
            {
                await table.DeleteEntityAsync(Partition, DistributionRow(kmsName, keyName), etag, cancellationToken);
                return true;
            }
            catch (RequestFailedException ex) when (ex.Status is 412 or 404)
            {
                await TableKeys.BackoffAsync(attempt, cancellationToken);
            }
        }
    }

    /// <summary>
    /// A no-op change of a row under its ETag: the transaction commits only if the row is as it was read.
    /// </summary>
    private static TableTransactionAction Touch(string row, ETag etag, DateTimeOffset now) =>
        new(TableTransactionActionType.UpdateMerge,
            new TableEntity(Partition, row) { ["DistributionsChangedAt"] = now }, etag);

    /// <summary>
    /// A key with its row's ETag and incarnation (a fresh id per creation of the name, on the key's row and its
    /// versions).
    /// </summary>
    private async Task<(KeyRecord Record, ETag ETag, string Incarnation)?> ReadKeyAsync(string name,
        CancellationToken cancellationToken)
    {
        NullableResponse<TableEntity> found = await table.GetEntityIfExistsAsync<TableEntity>(Partition, KeyRow(name),
            cancellationToken: cancellationToken);
        return found.HasValue ? (ReadDocument<KeyRecord>(found.Value!), found.Value!.ETag,
            found.Value.GetString(IncarnationProperty)) : null;
    }

    private static TableEntity VersionEntity(string name, int version, byte[] envelope, string incarnation) =>
        new(Partition, VersionRow(name, version)) { ["Material"] = envelope, [IncarnationProperty] = incarnation };

    private async Task<(T Record, ETag ETag)?> ReadAsync<T>(string row, CancellationToken cancellationToken)
    {
        NullableResponse<TableEntity> found = await table.GetEntityIfExistsAsync<TableEntity>(Partition, row,
            cancellationToken: cancellationToken);
        return found.HasValue ? (ReadDocument<T>(found.Value!), found.Value!.ETag) : null;
    }

    private async Task<IReadOnlyList<T>> ListAsync<T>(string filter, int limit, CancellationToken cancellationToken)
    {
        var items = new List<T>();
        if (limit < 1) return items;
        await foreach (TableEntity entity in table.QueryAsync<TableEntity>(filter, Math.Min(limit, 1000),
            cancellationToken: cancellationToken))
        {
            items.Add(ReadDocument<T>(entity));
            if (items.Count == limit) break;
        }

        return items;
    }

    /// <summary>
    /// The row with <paramref name="record"/> as JSON, split over as many string properties as it needs.
    /// </summary>
    private static TableEntity Document<T>(string row, T record)
    {
        string json = JsonSerializer.Serialize(record, Json);
        var entity = new TableEntity(Partition, row);
        int parts = Math.Max(1, (json.Length + DocumentChunk - 1) / DocumentChunk);
        for (int i = 0; i < parts; i++) entity[$"Document{i}"] = json.Substring(i * DocumentChunk,
            Math.Min(DocumentChunk, json.Length - (i * DocumentChunk)));
        entity["DocumentParts"] = parts;
        return entity;
    }

    private static T ReadDocument<T>(TableEntity entity)
    {
        int parts = entity.GetInt32("DocumentParts")!.Value;
        var json = new StringBuilder();
        for (int i = 0; i < parts; i++) json.Append(entity.GetString($"Document{i}"));
        return JsonSerializer.Deserialize<T>(json.ToString(), Json)!;
    }

    private static string KeyRow(string name) => $"k|{TableKeys.Fold(name)}";

    private static string VersionRow(string name, int version) => $"v|{TableKeys.Fold(name)}|{version.ToString("D10", CultureInfo.InvariantCulture)}";

    private static string ProviderRow(string name) => $"p|{TableKeys.Fold(name)}";

    private static string DistributionRow(string kmsName,
        string keyName) => $"d|{TableKeys.Fold(kmsName)}|{TableKeys.Fold(keyName)}";
}
