using System.Globalization;
using Microsoft.Data.Sqlite;

namespace EdgeKv.Records.Sqlite;

/// <summary>
/// The embedded home of <see cref="ResourceStore"/>: a SQLite file (WAL) beside the task hub, one JSON document per
/// resource, schema migrated on open. Updates are read-modify-write in one immediate transaction.
/// </summary>
public sealed class SqliteResourceStore : ResourceStoreBackend
{
    private readonly string connectionString;
    private readonly TimeProvider time;
    private readonly SemaphoreSlim writes = new(1, 1);

    public SqliteResourceStore(ResourceStoreOptions options, TimeProvider time)
    {
        this.time = time;
        (connectionString, AppliedMigrations) = EdgeKvDatabase.Prepare(options, time);
    }

    public override IReadOnlyList<int> AppliedMigrations { get; }

    public override async Task<ResourceRecord?> GetAsync(string name, CancellationToken cancellationToken)
    {
        await using SqliteConnection connection = Open();
        return await ReadAsync(connection, null, name, cancellationToken);
    }

    public override Task<ResourceRecord?> FindByDeviceCredentialHashAsync(string credentialHash,
        CancellationToken cancellationToken) =>
        FindOneAsync("SELECT document FROM resources WHERE device_credential_hash = $p UNION ALL SELECT document FROM resources WHERE pending_device_credential_hash = $p LIMIT 1;",
            credentialHash, cancellationToken);

    public override Task<ResourceRecord?> FindByVaultIdAsync(string vaultId, CancellationToken cancellationToken) =>
        FindOneAsync("SELECT document FROM resources WHERE lower(json_extract(document, '$.vaultId')) = lower($p);",
            vaultId, cancellationToken);

    public override async Task<IReadOnlyList<ResourceRecord>> ListPageAsync(string? afterName, int limit,
        CancellationToken cancellationToken)
    {
        await using SqliteConnection connection = Open();
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT document FROM resources WHERE $a IS NULL OR name > $a ORDER BY name LIMIT $l;";
        command.Parameters.AddWithValue("$a", (object?)afterName ?? DBNull.Value);
        command.Parameters.AddWithValue("$l", limit);
        var records = new List<ResourceRecord>();
        await using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) records.Add(Deserialize(reader.GetString(0)));
        return records;
    }

    public override async Task<IReadOnlyList<string?>> PageStartsAsync(int pageSize,
        CancellationToken cancellationToken)
    {
        await using SqliteConnection connection = Open();
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM resources ORDER BY name;";
        var starts = new List<string?>();
        int index = 0;
        string? previous = null;
        await using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (index++ % pageSize == 0) starts.Add(previous);
            previous = reader.GetString(0);
        }

        return starts;
    }

    public override async Task<bool> DeleteAsync(string name, CancellationToken cancellationToken)
    {
        await writes.WaitAsync(cancellationToken);
        try
        {
            await using SqliteConnection connection = Open();
            await using SqliteCommand command = connection.CreateCommand();
            command.CommandText = "DELETE FROM resources WHERE name = $n;";
            command.Parameters.AddWithValue("$n", name);
            return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        }
        finally
        {
            writes.Release();
        }
    }

    public override async Task<bool> TryAddAsync(ResourceRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        await writes.WaitAsync(cancellationToken);
        try
        {
            await using SqliteConnection connection = Open();
            await using SqliteCommand command = connection.CreateCommand();
            command.CommandText = "INSERT OR IGNORE INTO resources (name, resource_id, document, updated_at, device_credential_hash, pending_device_credential_hash) VALUES ($n, $id, $d, $t, $h, $ph);";
            Bind(command, record with { UpdatedAt = time.GetUtcNow() });
            return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        }
        finally
        {
            writes.Release();
        }
    }

    public override async Task<ResourceRecord?> UpdateAsync(string name, Func<ResourceRecord, ResourceRecord> change,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        await writes.WaitAsync(cancellationToken);
        try
        {
            await using SqliteConnection connection = Open();
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, cancellationToken);
            ResourceRecord? current = await ReadAsync(connection, transaction, name, cancellationToken);
            if (current is null) return null;
            ResourceRecord updated = change(current) with { Name = current.Name, ResourceId = current.ResourceId,
                UpdatedAt = time.GetUtcNow() };
            await using SqliteCommand command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "UPDATE resources SET document = $d, updated_at = $t, device_credential_hash = $h, pending_device_credential_hash = $ph WHERE name = $n;";
            Bind(command, updated);
            await command.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return updated;
        }
        finally
        {
            writes.Release();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) writes.Dispose();
        base.Dispose(disposing);
    }

    private SqliteConnection Open() => EdgeKvDatabase.Open(connectionString);

    /// <summary>The one record an indexed lookup with one parameter (<c>$p</c>) finds, or null.</summary>
    private async Task<ResourceRecord?> FindOneAsync(string sql, string value, CancellationToken cancellationToken)
    {
        await using SqliteConnection connection = Open();
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$p", value);
        return await command.ExecuteScalarAsync(cancellationToken) is string document ? Deserialize(document) : null;
    }

    private static async Task<ResourceRecord?> ReadAsync(SqliteConnection connection, SqliteTransaction? transaction,
        string name, CancellationToken cancellationToken)
    {
        await using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT document FROM resources WHERE name = $n;";
        command.Parameters.AddWithValue("$n", name);
        return await command.ExecuteScalarAsync(cancellationToken) is string document ? Deserialize(document) : null;
    }

    private static void Bind(SqliteCommand command, ResourceRecord record)
    {
        command.Parameters.AddWithValue("$n", record.Name);
        command.Parameters.AddWithValue("$id", record.ResourceId);
        command.Parameters.AddWithValue("$d", ResourceDocument.Serialize(record));
        command.Parameters.AddWithValue("$t", record.UpdatedAt.ToString("O", CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$h", (object?)record.DeviceCredentialHash ?? DBNull.Value);
        command.Parameters.AddWithValue("$ph", (object?)record.PendingDeviceCredentialHash ?? DBNull.Value);
    }

    private static ResourceRecord Deserialize(string document) => ResourceDocument.Deserialize(document);
}
