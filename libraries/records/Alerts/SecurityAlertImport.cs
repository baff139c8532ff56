using System.Globalization;
using Azure;
using Azure.Data.Tables;
using EdgeKv.Records.Security.Sqlite;
using EdgeKv.Records.Tables;
using Microsoft.Data.Sqlite;

namespace EdgeKv.Records.Alerts;

/// <summary>
/// Carries the rows of the retired append-only security-alert store (security.db's table, renamed
/// <c>security_alerts_pending_import</c> by its migration 0002, or the shared <c>SecurityAlerts</c> table) into
/// <see cref="AlertStore"/> once, at start-up, then drops the old table. Each row becomes an alert of its kind with
/// its principal, time and message, under the id <c>security-{sequence}</c>, so an import cut short and run again
/// writes each row once. Of the self-granted access rows of one resource and principal the latest stays active (the
/// security team never acknowledged any: there was no way to); the earlier ones are resolved when the next came. The
/// access-policy rows come in active: the next sweep, or the access-policy view, resolves those whose entry is gone
/// or accepted. A row with no resource was a grant above any resource: its alert is on <c>/</c>, the service scope.
/// </summary>
public static class SecurityAlertImport
{
    public const string PendingTable = "security_alerts_pending_import";
    public const string SharedTable = "SecurityAlerts";

    /// <summary>Imports security.db's pending rows, then drops their table; the number of rows carried over.</summary>
    public static async Task<int> FromSecurityDatabaseAsync(SecurityDatabase database, AlertStore alerts,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(alerts);
        await using SqliteConnection connection = database.Open();
        var rows = new List<OldAlert>();
        await using (SqliteCommand exists = connection.CreateCommand())
        {
            exists.CommandText = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = $t;";
            exists.Parameters.AddWithValue("$t", PendingTable);
            if (await exists.ExecuteScalarAsync(cancellationToken) is null) return 0;
        }

        await using (SqliteCommand read = connection.CreateCommand())
        {
            read.CommandText = $"SELECT seq, time, kind, resource, principal, message FROM {PendingTable} ORDER BY seq;";
            await using SqliteDataReader reader = await read.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(new OldAlert(reader.GetInt64(0), DateTimeOffset.Parse(reader.GetString(1),
                    CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind), reader.GetString(2),
                    reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4),
                    reader.GetString(5)));
            }
        }

        int imported = await ImportAsync(rows, alerts, cancellationToken);
        await using (SqliteCommand drop = connection.CreateCommand())
        {
            drop.CommandText = $"DROP TABLE IF EXISTS {PendingTable};";
            await drop.ExecuteNonQueryAsync(cancellationToken);
        }

        return imported;
    }

    /// <summary>
    /// Imports the shared store's old <c>SecurityAlerts</c> table, then deletes it; the number of rows carried over.
    /// </summary>
    public static async Task<int> FromTablesAsync(SharedStoreAccount account, AlertStore alerts,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(alerts);
        TableClient table = account.Tables.GetTableClient(account.Prefix + SharedTable);
        var rows = new List<OldAlert>();
        try
        {
            await foreach (TableEntity e in table.QueryAsync<TableEntity>(TableKeys.PrefixFilter("security", "s|"),
                1000, cancellationToken: cancellationToken))
            {
                rows.Add(new OldAlert(long.Parse(e.RowKey.AsSpan(2), CultureInfo.InvariantCulture),
                    e.GetDateTimeOffset("Time")!.Value, e.GetString("Kind"), e.GetString("Resource"),
                    e.GetString("Principal"), e.GetString("Message")));
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return 0; // never had one, or imported and deleted already
        }

        int imported = await ImportAsync(rows, alerts, cancellationToken);
        await table.DeleteAsync(cancellationToken);
        return imported;
    }

    private static async Task<int> ImportAsync(IReadOnlyList<OldAlert> rows, AlertStore alerts,
        CancellationToken cancellationToken)
    {
        int imported = 0;
        var known = rows.Where(r => Enum.TryParse(r.Kind, out AlertKind _)).OrderBy(r => r.Sequence).ToList();
        foreach (OldAlert row in known)
        {
            AlertKind kind = Enum.Parse<AlertKind>(row.Kind);
            string resource = row.Resource ?? "/";
            // The next row of the same kind, resource and principal supersedes this one.
            OldAlert? next = known.FirstOrDefault(r => r.Sequence > row.Sequence && r.Kind == row.Kind
                && string.Equals(r.Resource ?? "/", resource, StringComparison.OrdinalIgnoreCase)
                && string.Equals(r.Principal, row.Principal, StringComparison.OrdinalIgnoreCase));
            var alert = new Alert($"security-{row.Sequence.ToString(CultureInfo.InvariantCulture)}", resource, kind,
                AlertKinds.SeverityOf(kind), next is null ? AlertState.Active : AlertState.Resolved, row.Message,
                AlertKinds.HealingFor(kind, resource), row.Time, row.Time, next?.Time, 1, row.Principal);
            if (await alerts.ImportAsync(alert, cancellationToken)) imported++;
        }

        return imported;
    }

    private sealed record OldAlert(long Sequence, DateTimeOffset Time, string Kind, string? Resource,
        string? Principal, string Message);
}
