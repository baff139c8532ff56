using System.Globalization;
using Microsoft.Data.Sqlite;
using EdgeKv.Records.Security;

namespace EdgeKv.Records.Security.Sqlite;

/// <summary>
/// Security alerts in <see cref="SecurityDatabase"/> (table <c>security_alerts</c>; triggers refuse UPDATE and DELETE).
/// </summary>
public sealed class SqliteSecurityAlerts(SecurityDatabase store) : SecurityAlertBackend
{
    public override async Task<SecurityAlert?> AppendAsync(DateTimeOffset time, string kind, string? resource,
        string? principal, string message, bool once,
        CancellationToken cancellationToken)
    {
        await store.Writes.WaitAsync(cancellationToken);
        try
        {
            await using SqliteConnection connection = store.Open();
            await using SqliteCommand command = connection.CreateCommand();
            // One statement checks and inserts, so a second writer on the file cannot raise a once alert again in
            // between.
            command.CommandText = "INSERT INTO security_alerts (time, kind, resource, principal, message) SELECT $t, $k, $r, $p, $m"
                + (once ? " WHERE NOT EXISTS (SELECT 1 FROM security_alerts WHERE kind = $k AND resource IS $r COLLATE NOCASE AND principal IS $p)" : "")
                + " RETURNING seq";
            command.Parameters.AddWithValue("$t", time.ToString("O", CultureInfo.InvariantCulture));
            command.Parameters.AddWithValue("$k", kind);
            command.Parameters.AddWithValue("$r", (object?)resource ?? DBNull.Value);
            command.Parameters.AddWithValue("$p", (object?)principal ?? DBNull.Value);
            command.Parameters.AddWithValue("$m", message);
            return await command.ExecuteScalarAsync(cancellationToken) is long seq ? new SecurityAlert(seq, time, kind,
                resource, principal, message) : null;
        }
        finally
        {
            store.Writes.Release();
        }
    }

    public override async Task<IReadOnlyList<SecurityAlert>> ListAsync(string? resource,
        CancellationToken cancellationToken)
    {
        await using SqliteConnection connection = store.Open();
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT seq, time, kind, resource, principal, message FROM security_alerts"
            + (resource is null ? "" : " WHERE resource = $r COLLATE NOCASE") + " ORDER BY seq";
        if (resource is not null) command.Parameters.AddWithValue("$r", resource);
        var list = new List<SecurityAlert>();
        await using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new SecurityAlert(reader.GetInt64(0),
                DateTimeOffset.Parse(reader.GetString(1), CultureInfo.InvariantCulture), reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.GetString(5)));
        }

        return list;
    }
}
