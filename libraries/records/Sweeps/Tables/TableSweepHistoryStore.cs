using System.Globalization;
using Azure;
using Azure.Data.Tables;
using EdgeKv.Records.Tables;

namespace EdgeKv.Records.Sweeps.Tables;

/// <summary>
/// The shared home of <see cref="SweepHistoryStore"/>: one Table storage partition with each sweep at its position
/// (<c>s|0000000000000000042</c>, the order sweeps were recorded), a counter row that hands out positions, and one row
/// per sweep id (<c>id|sweep-id</c>) pointing at its position. A sweep is added in one entity-group transaction that
/// adds its id row and advances the counter under its ETag, so when several hosts record the same sweep (or different
/// sweeps) at once each id lands once and each position is taken once; the loser of a race looks again. Pruning deletes
/// a sweep with its id row, in one transaction, so a pruned sweep leaves nothing behind.
/// </summary>
public sealed class TableSweepHistoryStore : SweepHistoryStoreBackend
{
    private const string Partition = "sweeps";
    private const string CounterRow = "counter";
    private const string SweepPrefix = "s|";
    private const string IdPrefix = "id|";
    private readonly TableClient table;
    private readonly SweepRetention retention;
    private readonly TimeProvider time;

    public TableSweepHistoryStore(SharedStoreAccount account, SweepRetention retention, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(account);
        SweepHistoryStore.Validate(retention);
        table = account.Table("Sweeps");
        this.retention = retention;
        this.time = time;
    }

    public override async Task<bool> RecordAsync(SweepRecord sweep, CancellationToken cancellationToken)
    {
        bool added = await AddOnceAsync(sweep, cancellationToken);
        await PruneAsync(cancellationToken);
        return added;
    }

    public override async Task<IReadOnlyList<(long Position, SweepRecord Sweep)>> QueryPageAsync(DateTimeOffset? since,
        long? after, int limit,
        CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        string filter = TableKeys.PrefixFilter(Partition, SweepPrefix, after is null ? null : SweepRow(after.Value));
        if (since is not null) filter += " and " + TableClient.CreateQueryFilter($"StartedAt ge {since.Value.ToUniversalTime()}");
        var page = new List<(long, SweepRecord)>();
        await foreach (TableEntity entity in table.QueryAsync<TableEntity>(filter, Math.Min(limit, 1000),
            cancellationToken: cancellationToken))
        {
            page.Add((PositionOf(entity.RowKey), Map(entity)));
            if (page.Count == limit) break;
        }

        return page;
    }

    private async Task<bool> AddOnceAsync(SweepRecord sweep, CancellationToken cancellationToken)
    {
        string idRow = IdPrefix + TableKeys.Escape(sweep.Id);
        for (int attempt = 0; ; attempt++)
        {
            NullableResponse<TableEntity> recorded = await table.GetEntityIfExistsAsync<TableEntity>(Partition, idRow,
                ["Position"], cancellationToken);
            if (recorded.HasValue) return false;
            NullableResponse<TableEntity> counter = await table.GetEntityIfExistsAsync<TableEntity>(Partition,
                CounterRow, cancellationToken: cancellationToken);
            long position = (counter.HasValue ? counter.Value!.GetInt64("Last")!.Value : 0) + 1;
            var next = new TableEntity(Partition, CounterRow) { ["Last"] = position };
            TableTransactionAction advance = counter.HasValue
                ? new(TableTransactionActionType.UpdateReplace, next, counter.Value!.ETag)
                : new(TableTransactionActionType.Add, next);
            try
            {
                await table.SubmitTransactionAsync(
                [
                    advance,
                    new(TableTransactionActionType.Add, Entity(SweepRow(position), sweep)),
                    new(TableTransactionActionType.Add, new TableEntity(Partition, idRow) { ["Position"] = position }),
                ], cancellationToken);
                return true;
            }
            catch (TableTransactionFailedException ex) when (TableKeys.IsConflict(ex))
            {
                // Another host recorded this sweep, or took the position for another: look again.
                await TableKeys.BackoffAsync(attempt, cancellationToken);
            }
        }
    }

    /// <summary>Deletes the sweeps beyond the retention: older than its age, or not among the latest entries.</summary>
    private async Task PruneAsync(CancellationToken cancellationToken)
    {
        NullableResponse<TableEntity> counter = await table.GetEntityIfExistsAsync<TableEntity>(Partition, CounterRow,
            ["Last"], cancellationToken);
        if (!counter.HasValue) return;

        // Positions are dense (every position handed out holds one sweep until pruned), so the latest N are the last N
        // positions.
        long lastToDrop = counter.Value!.GetInt64("Last")!.Value - retention.MaxEntries;
        string tooOld = TableClient.CreateQueryFilter($"StartedAt lt {(time.GetUtcNow() - retention.MaxAge).ToUniversalTime()}");
        string filter = TableKeys.PrefixFilter(Partition, SweepPrefix) + " and " +
            (lastToDrop > 0 ? $"({TableClient.CreateQueryFilter($"RowKey le {SweepRow(lastToDrop)}")} or {tooOld})" : tooOld);
        await foreach (TableEntity old in table.QueryAsync<TableEntity>(filter, 1000, ["RowKey", "Id"],
            cancellationToken))
        {
            try
            {
                await table.SubmitTransactionAsync(
                [
                    new(TableTransactionActionType.Delete, new TableEntity(Partition, old.RowKey), ETag.All),
                    new(TableTransactionActionType.Delete,
                        new TableEntity(Partition, IdPrefix + TableKeys.Escape(old.GetString("Id"))), ETag.All),
                ], cancellationToken);
            }
            catch (TableTransactionFailedException ex) when (ex.Status == 404)
            {
                // Another host pruned it first.
            }
        }
    }

    private static TableEntity Entity(string row, SweepRecord s) => new(Partition, row)
    {
        ["Id"] = s.Id, ["InstanceId"] = s.InstanceId, ["Trigger"] = s.Trigger,
            ["StartedAt"] = s.StartedAt.ToUniversalTime(),
        ["CompletedAt"] = s.CompletedAt.ToUniversalTime(), ["Pages"] = s.Pages, ["Checked"] = s.Checked,
        ["Skipped"] = s.Skipped, ["Faulty"] = s.Faulty,
        ["UncheckedPages"] = s.UncheckedPages, ["Raised"] = s.Raised, ["Resolved"] = s.Resolved,
        ["ArmReads"] = s.ArmReads, ["DataPlaneReads"] = s.DataPlaneReads,
    };

    private static SweepRecord Map(TableEntity e) => new(
        e.GetString("Id"), e.GetString("InstanceId"), e.GetString("Trigger"), e.GetDateTimeOffset("StartedAt")!.Value,
        e.GetDateTimeOffset("CompletedAt")!.Value,
        e.GetInt32("Pages")!.Value, e.GetInt32("Checked")!.Value, e.GetInt32("Skipped")!.Value,
        e.GetInt32("Faulty")!.Value, e.GetInt32("UncheckedPages")!.Value,
        e.GetInt32("Raised")!.Value, e.GetInt32("Resolved")!.Value, ReadCount(e, "ArmReads"),
        ReadCount(e, "DataPlaneReads"));

    /// <summary>A count written as a 64-bit number; zero for sweeps recorded before it was counted.</summary>
    private static long ReadCount(TableEntity e, string property) => e.TryGetValue(property,
        out object? value) && value is not null ? Convert.ToInt64(value, CultureInfo.InvariantCulture) : 0;

    private static string SweepRow(long position) => SweepPrefix + position.ToString("D19",
        CultureInfo.InvariantCulture);

    private static long PositionOf(string row) => long.Parse(row.AsSpan(SweepPrefix.Length),
        CultureInfo.InvariantCulture);
}
