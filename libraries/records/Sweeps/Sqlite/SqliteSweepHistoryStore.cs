using System.Globalization;
using Microsoft.Data.Sqlite;

namespace EdgeKv.Records.Sweeps.Sqlite;

/// <summary>
/// The embedded home of <see cref="SweepHistoryStore"/>: the same SQLite file as the resource records (table
/// <c>sweeps</c>, migration 0008); the insert and the pruning run in one transaction, positions are row ids.
/// </summary>
public sealed class SqliteSweepHistoryStore : SweepHistoryStoreBackend
{
    private const string Columns = "id, instance_id, trigger_name, started_at, completed_at, pages, checked, skipped, faulty, unchecked_pages, raised, resolved, arm_reads, data_plane_reads";
    private readonly string connectionString;
    private readonly SweepRetention retention;
    private readonly TimeProvider time;

    public SqliteSweepHistoryStore(ResourceStoreOptions options, SweepRetention retention, TimeProvider time)
    {
        SweepHistoryStore.Validate(retention);
        this.retention = retention;
        this.time = time;
        connectionString = EdgeKvDatabase.Prepare(options, time).ConnectionString;
    }

    public override async Task<bool> RecordAsync(SweepRecord sweep, CancellationToken cancellationToken)
    {
        await using SqliteConnection connection = Open();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, cancellationToken);
        int added;
        await using (SqliteCommand insert = connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = $"INSERT INTO sweeps ({Columns}) VALUES ($id, $i, $t, $s, $c, $p, $ch, $sk, $f, $u, $ra, $re, $ar, $dr) ON CONFLICT (id) DO NOTHING;";
            insert.Parameters.AddWithValue("$id", sweep.Id);
            insert.Parameters.AddWithValue("$i", sweep.InstanceId);
            insert.Parameters.AddWithValue("$t", sweep.Trigger);
            insert.Parameters.AddWithValue("$s", Format(sweep.StartedAt));
            insert.Parameters.AddWithValue("$c", Format(sweep.CompletedAt));
            insert.Parameters.AddWithValue("$p", sweep.Pages);
            insert.Parameters.AddWithValue("$ch", sweep.Checked);
            insert.Parameters.AddWithValue("$sk", sweep.Skipped);
            insert.Parameters.AddWithValue("$f", sweep.Faulty);
            insert.Parameters.AddWithValue("$u", sweep.UncheckedPages);
            insert.Parameters.AddWithValue("$ra", sweep.Raised);
            insert.Parameters.AddWithValue("$re", sweep.Resolved);
            insert.Parameters.AddWithValue("$ar", sweep.ArmReads);
            insert.Parameters.AddWithValue("$dr", sweep.DataPlaneReads);
            added = await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (SqliteCommand prune = connection.CreateCommand())
        {
            prune.Transaction = transaction;
            prune.CommandText = "DELETE FROM sweeps WHERE started_at < $oldest OR rowid <= (SELECT rowid FROM sweeps ORDER BY rowid DESC LIMIT 1 OFFSET $keep);";
            prune.Parameters.AddWithValue("$oldest", Format(time.GetUtcNow() - retention.MaxAge));
            prune.Parameters.AddWithValue("$keep", retention.MaxEntries);
            await prune.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return added == 1;
    }

    public override async Task<IReadOnlyList<(long Position, SweepRecord Sweep)>> QueryPageAsync(DateTimeOffset? since,
        long? after, int limit,
        CancellationToken cancellationToken)
    {
        await using SqliteConnection connection = Open();
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = $"SELECT rowid, {Columns} FROM sweeps WHERE rowid > $after AND ($since IS NULL OR started_at >= $since) ORDER BY rowid LIMIT $limit;";
        command.Parameters.AddWithValue("$after", after ?? 0);
        command.Parameters.AddWithValue("$since", since is null ? DBNull.Value : Format(since.Value));
        command.Parameters.AddWithValue("$limit", limit);
        await using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        var page = new List<(long, SweepRecord)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            page.Add((reader.GetInt64(0),
                new SweepRecord(reader.GetString(1), reader.GetString(2), reader.GetString(3),
                    Parse(reader.GetString(4)), Parse(reader.GetString(5)),
                reader.GetInt32(6), reader.GetInt32(7), reader.GetInt32(8), reader.GetInt32(9), reader.GetInt32(10),
                reader.GetInt32(11), reader.GetInt32(12), reader.GetInt64(13), reader.GetInt64(14))));
        }

        return page;
    }

    private SqliteConnection Open() => EdgeKvDatabase.Open(connectionString);

    // Stored in UTC with a fixed width, so text order is time order (the retention and `since` compare text).
    private static string Format(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'",
        CultureInfo.InvariantCulture);

    private static DateTimeOffset Parse(string value) => DateTimeOffset.Parse(value, CultureInfo.InvariantCulture,
        DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
