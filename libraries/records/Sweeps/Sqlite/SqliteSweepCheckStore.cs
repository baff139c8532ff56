using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace EdgeKv.Records.Sweeps.Sqlite;

/// <summary>
/// The embedded home of <see cref="SweepCheckStore"/>: table <c>sweep_checks</c> (migration 0021) in the SQLite file of
/// the resource records. A page's states are one query (the names passed as one JSON array), its changes one
/// transaction.
/// </summary>
public sealed class SqliteSweepCheckStore : SweepCheckStoreBackend
{
    private readonly string connectionString;

    public SqliteSweepCheckStore(ResourceStoreOptions options, TimeProvider time)
    {
        connectionString = EdgeKvDatabase.Prepare(options, time).ConnectionString;
    }

    public override async Task<IReadOnlyDictionary<string, SweepCheckState>> GetAsync(IReadOnlyCollection<string> names,
        CancellationToken cancellationToken)
    {
        await using SqliteConnection connection = EdgeKvDatabase.Open(connectionString);
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT name, vault_fingerprint, reads_checked_at, reads_due_at, reads_faulty, dirty_at FROM sweep_checks " +
            "WHERE name IN (SELECT value FROM json_each($names));";
        command.Parameters.AddWithValue("$names", JsonSerializer.Serialize(names));
        var states = new Dictionary<string, SweepCheckState>(StringComparer.OrdinalIgnoreCase);
        await using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var state = new SweepCheckState(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1),
                Time(reader, 2), Time(reader, 3),
                reader.GetInt64(4) != 0, Time(reader, 5));
            states[state.Name] = state;
        }

        return states;
    }

    public override async Task SaveAsync(IReadOnlyCollection<SweepCheckState> states,
        CancellationToken cancellationToken)
    {
        await using SqliteConnection connection = EdgeKvDatabase.Open(connectionString);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using SqliteCommand upsert = connection.CreateCommand();
        upsert.Transaction = transaction;
        upsert.CommandText = "INSERT INTO sweep_checks (name, vault_fingerprint, reads_checked_at, reads_due_at, reads_faulty) VALUES ($n, $f, $c, $d, $x) " +
            "ON CONFLICT (name) DO UPDATE SET vault_fingerprint = excluded.vault_fingerprint, reads_checked_at = excluded.reads_checked_at, " +
            "reads_due_at = excluded.reads_due_at, reads_faulty = excluded.reads_faulty;";
        SqliteParameter name = upsert.Parameters.Add("$n", SqliteType.Text),
            fingerprint = upsert.Parameters.Add("$f", SqliteType.Text),
            checkedAt = upsert.Parameters.Add("$c", SqliteType.Text),
            dueAt = upsert.Parameters.Add("$d", SqliteType.Text),
            faulty = upsert.Parameters.Add("$x", SqliteType.Integer);
        foreach (SweepCheckState state in states)
        {
            name.Value = state.Name;
            fingerprint.Value = (object?)state.VaultFingerprint ?? DBNull.Value;
            checkedAt.Value = Format(state.ReadsCheckedAt);
            dueAt.Value = Format(state.ReadsDueAt);
            faulty.Value = state.ReadsFaulty ? 1 : 0;
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public override async Task MarkDirtyAsync(string name, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using SqliteConnection connection = EdgeKvDatabase.Open(connectionString);
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "INSERT INTO sweep_checks (name, dirty_at) VALUES ($n, $t) ON CONFLICT (name) DO UPDATE SET dirty_at = excluded.dirty_at;";
        command.Parameters.AddWithValue("$n", name);
        command.Parameters.AddWithValue("$t", Format(at));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static object Format(DateTimeOffset? value) =>
        value is { } v ? v.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'",
            CultureInfo.InvariantCulture) : DBNull.Value;

    private static DateTimeOffset? Time(SqliteDataReader reader, int column) => reader.IsDBNull(column)
        ? null
        : DateTimeOffset.Parse(reader.GetString(column), CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
