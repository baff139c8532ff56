using Azure;
using Azure.Data.Tables;

namespace EdgeKv.Records.Tables;

/// <summary>
/// The shared home of <see cref="ResourceStore"/>: one Table storage partition holding each record (row <c>n|name</c>)
/// and its index rows, by resource id (<c>i|</c>, unique), current and pending device credential hash (<c>c|</c>,
/// <c>p|</c>) and vault id (<c>v|vault|name</c>). A record and its index rows change together in one entity-group
/// transaction, and an update carries the record's ETag, so a write based on a record another host changed meanwhile is
/// refused (412) and re-applied to the newer record: two hosts never lose each other's changes, and the indexes never
/// point astray.
/// </summary>
public sealed class TableResourceStore : ResourceStoreBackend
{
    private const string Partition = "resources";
    private const string RecordPrefix = "n|";
    private readonly TableClient table;
    private readonly TimeProvider time;

    public TableResourceStore(SharedStoreAccount account, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(account);
        table = account.Table("Resources");
        this.time = time;
    }

    public override async Task<ResourceRecord?> GetAsync(string name, CancellationToken cancellationToken) =>
        (await ReadAsync(name, cancellationToken))?.Record;

    public override async Task<ResourceRecord?> FindByDeviceCredentialHashAsync(string credentialHash,
        CancellationToken cancellationToken) =>
        await FollowAsync($"c|{TableKeys.Escape(credentialHash)}",
            cancellationToken) ?? await FollowAsync($"p|{TableKeys.Escape(credentialHash)}", cancellationToken);

    public override async Task<ResourceRecord?> FindByVaultIdAsync(string vaultId, CancellationToken cancellationToken)
    {
        await foreach (TableEntity index in table.QueryAsync<TableEntity>(TableKeys.PrefixFilter(Partition,
            $"v|{TableKeys.Fold(vaultId)}|"), 1, ["Name"], cancellationToken))
        {
            return await GetAsync(index.GetString("Name"), cancellationToken);
        }

        return null;
    }

    public override async Task<IReadOnlyList<ResourceRecord>> ListPageAsync(string? afterName, int limit,
        CancellationToken cancellationToken)
    {
        var records = new List<ResourceRecord>(Math.Min(limit, 1000));
        string? after = afterName is null ? null : RowOf(afterName);
        await foreach (TableEntity entity in table.QueryAsync<TableEntity>(TableKeys.PrefixFilter(Partition,
            RecordPrefix, after), Math.Min(limit, 1000), ["Document"], cancellationToken))
        {
            records.Add(ResourceDocument.Deserialize(entity.GetString("Document")));
            if (records.Count == limit) break;
        }

        return records;
    }

    public override async Task<IReadOnlyList<string?>> PageStartsAsync(int pageSize,
        CancellationToken cancellationToken)
    {
        var starts = new List<string?>();
        int index = 0;
        string? previous = null;
        await foreach (TableEntity entity in table.QueryAsync<TableEntity>(TableKeys.PrefixFilter(Partition,
            RecordPrefix), 1000, ["Name"], cancellationToken))
        {
            if (index++ % pageSize == 0) starts.Add(previous);
            previous = entity.GetString("Name");
        }

        return starts;
    }

    public override async Task<bool> DeleteAsync(string name, CancellationToken cancellationToken)
    {
        for (int attempt = 0; ; attempt++)
        {
            if (await ReadAsync(name, cancellationToken) is not { } current) return false;
            var batch = new List<TableTransactionAction> { new(TableTransactionActionType.Delete, Key(RowOf(name)),
                current.ETag) };
            batch.AddRange(IndexRows(current.Record).Select(row => new TableTransactionAction(TableTransactionActionType.Delete, Key(row), ETag.All)));
            try
            {
                await table.SubmitTransactionAsync(batch, cancellationToken);
                return true;
            }
            catch (TableTransactionFailedException ex) when (ex.Status is 412 or 404)
            {
                await TableKeys.BackoffAsync(attempt,
                    cancellationToken); // changed or removed by another host meanwhile: look again
            }
        }
    }

    public override async Task<bool> TryAddAsync(ResourceRecord record, CancellationToken cancellationToken)
    {
        ResourceRecord stamped = record with { UpdatedAt = time.GetUtcNow() };
        var batch = new List<TableTransactionAction> { new(TableTransactionActionType.Add, Entity(stamped)) };
        batch.AddRange(IndexRows(stamped).Select(row => new TableTransactionAction(TableTransactionActionType.Add,
            IndexEntity(row, stamped.Name))));
        try
        {
            await table.SubmitTransactionAsync(batch, cancellationToken);
            return true;
        }
        catch (TableTransactionFailedException ex) when (ex.Status == 409)
        {
            return false; // the name, the resource id or a credential is taken
        }
    }

    public override async Task<ResourceRecord?> UpdateAsync(string name, Func<ResourceRecord, ResourceRecord> change,
        CancellationToken cancellationToken)
    {
        for (int attempt = 0; ; attempt++)
        {
            if (await ReadAsync(name, cancellationToken) is not { } current) return null;
            ResourceRecord updated = change(current.Record) with { Name = current.Record.Name,
                ResourceId = current.Record.ResourceId, UpdatedAt = time.GetUtcNow() };
            HashSet<string> before = IndexRows(current.Record), after = IndexRows(updated);
            var batch = new List<TableTransactionAction> { new(TableTransactionActionType.UpdateReplace,
                Entity(updated), current.ETag) };
            batch.AddRange(before.Except(after).Select(row => new TableTransactionAction(TableTransactionActionType.Delete, Key(row), ETag.All)));
            batch.AddRange(after.Except(before).Select(row => new TableTransactionAction(TableTransactionActionType.Add,
                IndexEntity(row, updated.Name))));
            try
            {
                await table.SubmitTransactionAsync(batch, cancellationToken);
                return updated;
            }
            catch (TableTransactionFailedException ex) when (ex.Status is 412 or 404)
            {
                await TableKeys.BackoffAsync(attempt,
                    cancellationToken); // another host wrote the record first: apply the change to its result
            }
        }
    }

    private async Task<ResourceRecord?> FollowAsync(string indexRow, CancellationToken cancellationToken)
    {
        NullableResponse<TableEntity> index = await table.GetEntityIfExistsAsync<TableEntity>(Partition, indexRow,
            ["Name"], cancellationToken);
        return index.HasValue ? await GetAsync(index.Value!.GetString("Name"), cancellationToken) : null;
    }

    private async Task<(ResourceRecord Record, ETag ETag)?> ReadAsync(string name, CancellationToken cancellationToken)
    {
        NullableResponse<TableEntity> entity = await table.GetEntityIfExistsAsync<TableEntity>(Partition, RowOf(name),
            ["Document"], cancellationToken);
        return entity.HasValue ? (ResourceDocument.Deserialize(entity.Value!.GetString("Document")),
            entity.Value.ETag) : null;
    }

    /// <summary>The index rows a record has; they are added and removed with it.</summary>
    private static HashSet<string> IndexRows(ResourceRecord record)
    {
        var rows = new HashSet<string>(StringComparer.Ordinal) { $"i|{TableKeys.Fold(record.ResourceId)}" };
        if (record.DeviceCredentialHash is { } current) rows.Add($"c|{TableKeys.Escape(current)}");
        if (record.PendingDeviceCredentialHash is { } pending) rows.Add($"p|{TableKeys.Escape(pending)}");
        if (record.VaultId is { } vault) rows.Add($"v|{TableKeys.Fold(vault)}|{TableKeys.Fold(record.Name)}");
        return rows;
    }

    private static string RowOf(string name) => RecordPrefix + TableKeys.Fold(name);

    private static TableEntity Key(string row) => new(Partition, row);

    private static TableEntity Entity(ResourceRecord record) => new(Partition, RowOf(record.Name))
    {
        ["Name"] = record.Name,
        ["ResourceId"] = record.ResourceId,
        ["Document"] = ResourceDocument.Serialize(record),
        ["UpdatedAt"] = record.UpdatedAt,
    };

    private static TableEntity IndexEntity(string row, string name) => new(Partition, row) { ["Name"] = name };
}
