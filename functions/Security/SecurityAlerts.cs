using System.Globalization;
using Microsoft.Data.Sqlite;

namespace EdgeKv.Functions.Security;

/// <summary>An alert for the security team (a self-granted data-plane right, an access policy EdgeKv did not grant).</summary>
public sealed record SecurityAlert(long Sequence, DateTimeOffset Time, string Kind, string? Resource, string? Principal, string Message);

/// <summary>Security alerts, append-only in <see cref="SecurityStore"/>; logged as warnings with event id 7030 for the security team's monitoring.</summary>
public sealed partial class SecurityAlerts(SecurityStore store, TimeProvider time, ILogger<SecurityAlerts> logger)
{
    public const string SelfGrantedDataPlane = "SelfGrantedDataPlaneAccess";
    public const string UnexpectedAccessPolicy = "AccessPolicyNotGrantedByEdgeKv";

    public async Task<SecurityAlert> RaiseAsync(string kind, string? resource, string? principal, string message, CancellationToken cancellationToken = default)
    {
        DateTimeOffset now = time.GetUtcNow();
        await using SqliteConnection connection = store.Open();
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "INSERT INTO security_alerts (time, kind, resource, principal, message) VALUES ($t, $k, $r, $p, $m) RETURNING seq";
        command.Parameters.AddWithValue("$t", now.ToString("O", CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$k", kind);
        command.Parameters.AddWithValue("$r", (object?)resource ?? DBNull.Value);
        command.Parameters.AddWithValue("$p", (object?)principal ?? DBNull.Value);
        command.Parameters.AddWithValue("$m", message);
        long seq = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        LogAlert(logger, kind, resource, principal);
        return new SecurityAlert(seq, now, kind, resource, principal, message);
    }

    /// <summary>Raises the alert unless one of the same kind for the same resource and principal exists already.</summary>
    public async Task RaiseOnceAsync(string kind, string? resource, string? principal, string message, CancellationToken cancellationToken = default)
    {
        if ((await ListAsync(resource, cancellationToken)).Any(a => a.Kind == kind && a.Principal == principal)) return;
        await RaiseAsync(kind, resource, principal, message, cancellationToken);
    }

    public async Task<IReadOnlyList<SecurityAlert>> ListAsync(string? resource = null, CancellationToken cancellationToken = default)
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
            list.Add(new SecurityAlert(reader.GetInt64(0), DateTimeOffset.Parse(reader.GetString(1), CultureInfo.InvariantCulture), reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetString(5)));
        }

        return list;
    }

    [LoggerMessage(7030, LogLevel.Warning, "Security alert {Kind} on {Resource} involving {Principal}.")]
    private static partial void LogAlert(ILogger logger, string kind, string? resource, string? principal);
}
