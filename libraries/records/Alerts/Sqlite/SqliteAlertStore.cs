using System.Globalization;
using Microsoft.Data.Sqlite;

namespace EdgeKv.Records.Alerts.Sqlite;

/// <summary>
/// The embedded home of <see cref="AlertStore"/>: the same SQLite file as the resource records (table <c>alerts</c>,
/// migrations 0003 and 0022); a unique partial index keeps one active alert per resource, kind and principal, and a
/// sweep's results for a set of resources are applied in one transaction.
/// </summary>
public sealed class SqliteAlertStore : AlertStoreBackend
{
    private const string Columns = "id, resource, kind, severity, state, finding, healing, first_seen, last_seen, resolved_at, occurrences, principal";
    private readonly string connectionString;
    private readonly TimeProvider time;
    private readonly SemaphoreSlim writes = new(1, 1);

    public SqliteAlertStore(ResourceStoreOptions options, TimeProvider time)
    {
        this.time = time;
        connectionString = EdgeKvDatabase.Prepare(options, time).ConnectionString;
    }

    public override async Task<AlertChange> RaiseAsync(AlertObservation observation,
        CancellationToken cancellationToken)
    {
        IReadOnlyList<AlertChange> changes = await WriteAsync((c, t, now) => [Upsert(c, t, observation, now)],
            cancellationToken);
        return changes[0];
    }

    public override Task<IReadOnlyList<AlertChange>> ApplySweepAsync(IReadOnlyCollection<string> checkedResources,
        IReadOnlyCollection<AlertKind> checkedKinds, IReadOnlyList<AlertObservation> observations,
        CancellationToken cancellationToken)
    {
        return WriteAsync((c, t, now) =>
        {
            var changes = observations.Select(o => Upsert(c, t, o, now)).ToList();
            var seen = observations.Select(o => Identity(o.Resource, o.Kind, o.Principal)).ToHashSet();
            foreach (string resource in checkedResources)
            {
                foreach (Alert active in Query(c, t, resource, null, AlertState.Active))
                {
                    if (checkedKinds.Contains(active.Kind)
                        && !seen.Contains(Identity(active.Resource, active.Kind, active.Principal)))
                    {
                        changes.Add(Resolve(c, t, active, now));
                    }
                }
            }

            return changes;
        }, cancellationToken);
    }

    public override Task<IReadOnlyList<AlertChange>> ResolveAsync(string resource, IReadOnlyCollection<AlertKind> kinds,
        string? principal, CancellationToken cancellationToken) =>
        WriteAsync((c, t, now) => [.. Query(c, t, resource, null, AlertState.Active)
            .Where(a => kinds.Contains(a.Kind) && (principal is null || a.Principal == principal))
            .Select(a => Resolve(c, t, a, now))],
            cancellationToken);

    public override async Task<Alert?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using SqliteConnection connection = Open();
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM alerts WHERE id = $id;";
        command.Parameters.AddWithValue("$id", id);
        await using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Map(reader, 0) : null;
    }

    public override async Task<bool> ImportAsync(Alert alert, CancellationToken cancellationToken) =>
        (await WriteAsync((c, t, _) =>
        {
            using (SqliteCommand exists = c.CreateCommand())
            {
                exists.Transaction = t;
                exists.CommandText = "SELECT 1 FROM alerts WHERE id = $id;";
                exists.Parameters.AddWithValue("$id", alert.Id);
                if (exists.ExecuteScalar() is not null) return [];
            }

            Alert written = alert.State == AlertState.Active
                && Query(c, t, alert.Resource, alert.Kind, AlertState.Active).Any(a => a.Principal == alert.Principal)
                ? alert with { State = AlertState.Resolved, ResolvedAt = alert.LastSeen }
                : alert;
            using SqliteCommand insert = c.CreateCommand();
            insert.Transaction = t;
            insert.CommandText = $"INSERT INTO alerts ({Columns}) VALUES ($id, $r, $k, $s, $st, $f, $h, $first, $last, $resolved, $n, $p);";
            insert.Parameters.AddWithValue("$id", written.Id);
            insert.Parameters.AddWithValue("$r", written.Resource);
            insert.Parameters.AddWithValue("$k", written.Kind.ToString());
            insert.Parameters.AddWithValue("$s", written.Severity.ToString());
            insert.Parameters.AddWithValue("$st", written.State.ToString());
            insert.Parameters.AddWithValue("$f", written.Finding);
            insert.Parameters.AddWithValue("$h", written.Healing);
            insert.Parameters.AddWithValue("$first", Format(written.FirstSeen));
            insert.Parameters.AddWithValue("$last", Format(written.LastSeen));
            insert.Parameters.AddWithValue("$resolved", written.ResolvedAt is { } at ? Format(at) : DBNull.Value);
            insert.Parameters.AddWithValue("$n", written.Occurrences);
            insert.Parameters.AddWithValue("$p", (object?)written.Principal ?? DBNull.Value);
            insert.ExecuteNonQuery();
            return [new AlertChange(written.Id, written.Resource, written.Kind, written.Severity,
                AlertChangeKind.Raised, written.Finding, written.Principal)];
        }, cancellationToken)).Count > 0;

    public override async Task<IReadOnlyList<(long Position, Alert Alert)>> QueryPageAsync(string? resource,
        AlertSeverity? severity, AlertState? state, IReadOnlyCollection<AlertKind>? kinds, long? after, int limit,
        CancellationToken cancellationToken)
    {
        await using SqliteConnection connection = Open();
        await using SqliteCommand command = connection.CreateCommand();
        var where = new List<string> { "rowid > $after" };
        command.Parameters.AddWithValue("$after", after ?? 0);
        if (resource is not null) { where.Add("resource = $r"); command.Parameters.AddWithValue("$r", resource); }
        if (severity is not null) { where.Add("severity = $sev"); command.Parameters.AddWithValue("$sev",
            severity.Value.ToString()); }
        if (state is not null) { where.Add("state = $st"); command.Parameters.AddWithValue("$st",
            state.Value.ToString()); }
        if (kinds is not null)
        {
            // Kind names are the enum's own, so they are written into the statement as literals.
            where.Add($"kind IN ({string.Join(", ", kinds.Select(k => $"'{k}'").DefaultIfEmpty("''"))})");
        }

        command.Parameters.AddWithValue("$limit", limit);
        command.CommandText = $"SELECT rowid, {Columns} FROM alerts WHERE {string.Join(" AND ", where)} ORDER BY rowid LIMIT $limit;";
        await using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        var page = new List<(long, Alert)>();
        while (await reader.ReadAsync(cancellationToken)) page.Add((reader.GetInt64(0), Map(reader, 1)));
        return page;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) writes.Dispose();
        base.Dispose(disposing);
    }

    private async Task<IReadOnlyList<AlertChange>> WriteAsync(Func<SqliteConnection, SqliteTransaction, DateTimeOffset, List<AlertChange>> write, CancellationToken cancellationToken)
    {
        await writes.WaitAsync(cancellationToken);
        try
        {
            await using SqliteConnection connection = Open();
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, cancellationToken);
            List<AlertChange> changes = write(connection, transaction, time.GetUtcNow());
            await transaction.CommitAsync(cancellationToken);
            return changes;
        }
        finally
        {
            writes.Release();
        }
    }

    private static AlertChange Upsert(SqliteConnection connection, SqliteTransaction transaction, AlertObservation o,
        DateTimeOffset now)
    {
        Alert? active = Query(connection, transaction, o.Resource, o.Kind,
            AlertState.Active).FirstOrDefault(a => a.Principal == o.Principal);
        AlertSeverity severity = AlertKinds.SeverityOf(o.Kind);
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        string id;
        if (active is null)
        {
            id = Guid.NewGuid().ToString("N");
            command.CommandText = $"INSERT INTO alerts ({Columns}) VALUES ($id, $r, $k, $s, 'Active', $f, $h, $now, $now, NULL, 1, $p);";
            command.Parameters.AddWithValue("$p", (object?)o.Principal ?? DBNull.Value);
            command.Parameters.AddWithValue("$r", o.Resource);
            command.Parameters.AddWithValue("$k", o.Kind.ToString());
            command.Parameters.AddWithValue("$s", severity.ToString());
            command.Parameters.AddWithValue("$h", AlertKinds.HealingFor(o.Kind, o.Resource));
        }
        else
        {
            id = active.Id;
            command.CommandText = "UPDATE alerts SET finding = $f, last_seen = $now, occurrences = occurrences + 1 WHERE id = $id;";
        }

        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$f", o.Finding);
        command.Parameters.AddWithValue("$now", Format(now));
        command.ExecuteNonQuery();
        return new AlertChange(id, o.Resource, o.Kind, severity,
            active is null ? AlertChangeKind.Raised : AlertChangeKind.Updated, o.Finding, o.Principal);
    }

    private static AlertChange Resolve(SqliteConnection connection, SqliteTransaction transaction, Alert alert,
        DateTimeOffset now)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "UPDATE alerts SET state = 'Resolved', resolved_at = $now WHERE id = $id;";
        command.Parameters.AddWithValue("$id", alert.Id);
        command.Parameters.AddWithValue("$now", Format(now));
        command.ExecuteNonQuery();
        return new AlertChange(alert.Id, alert.Resource, alert.Kind, alert.Severity, AlertChangeKind.Resolved,
            alert.Finding, alert.Principal);
    }

    private static List<Alert> Query(SqliteConnection connection, SqliteTransaction? transaction, string? resource,
        AlertKind? kind, AlertState? state)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        var where = new List<string>();
        if (resource is not null) { where.Add("resource = $r"); command.Parameters.AddWithValue("$r", resource); }
        if (kind is not null) { where.Add("kind = $k"); command.Parameters.AddWithValue("$k", kind.Value.ToString()); }
        if (state is not null) { where.Add("state = $st"); command.Parameters.AddWithValue("$st",
            state.Value.ToString()); }
        command.CommandText = $"SELECT {Columns} FROM alerts{(where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "")} ORDER BY first_seen, id;";
        using SqliteDataReader reader = command.ExecuteReader();
        var alerts = new List<Alert>();
        while (reader.Read()) alerts.Add(Map(reader, 0));
        return alerts;
    }

    /// <summary>An alert read with <see cref="Columns"/> starting at column <paramref name="at"/>.</summary>
    private static Alert Map(SqliteDataReader reader, int at) => new(
        reader.GetString(at), reader.GetString(at + 1), Enum.Parse<AlertKind>(reader.GetString(at + 2)),
        Enum.Parse<AlertSeverity>(reader.GetString(at + 3)),
        Enum.Parse<AlertState>(reader.GetString(at + 4)), reader.GetString(at + 5), reader.GetString(at + 6),
        Parse(reader.GetString(at + 7)), Parse(reader.GetString(at + 8)),
        reader.IsDBNull(at + 9) ? null : Parse(reader.GetString(at + 9)), reader.GetInt32(at + 10),
        reader.IsDBNull(at + 11) ? null : reader.GetString(at + 11));

    /// <summary>
    /// What makes an active alert one: its resource (without case), kind and principal.
    /// </summary>
    private static (string, AlertKind, string?) Identity(string resource, AlertKind kind, string? principal) =>
        (resource.ToUpperInvariant(), kind, principal);

    public override async Task<IReadOnlyList<AlertTimes>> ChangedSinceAsync(DateTimeOffset since,
        CancellationToken cancellationToken)
    {
        await using SqliteConnection connection = Open();
        await using SqliteCommand command = connection.CreateCommand();
        // Stored as UTC round-trip text (+00:00), so text order is time order. No ORDER BY: with one, SQLite scans the
        // whole table (or index) instead of searching the two time indexes (0015_alert_times.sql); the few rows are
        // sorted here.
        command.CommandText = "SELECT resource, first_seen, resolved_at FROM alerts WHERE first_seen >= $since OR resolved_at >= $since;";
        command.Parameters.AddWithValue("$since", Format(since.ToUniversalTime()));
        await using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        var times = new List<AlertTimes>();
        while (await reader.ReadAsync(cancellationToken)) times.Add(new AlertTimes(reader.GetString(0),
            Parse(reader.GetString(1)), reader.IsDBNull(2) ? null : Parse(reader.GetString(2))));
        return [.. times.OrderBy(t => t.RaisedAt).ThenBy(t => t.Resource, StringComparer.Ordinal)];
    }

    private SqliteConnection Open() => EdgeKvDatabase.Open(connectionString);

    private static string Format(DateTimeOffset value) => value.ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset Parse(string value) => DateTimeOffset.Parse(value, CultureInfo.InvariantCulture,
        DateTimeStyles.RoundtripKind);
}
