using Microsoft.Data.Sqlite;
using EdgeKv.Records;

namespace EdgeKv.Functions.Security;

/// <summary>
/// EdgeKv's security database (<c>security.db</c> beside the task hub): role assignments, the audit trail and the
/// security alerts. The audit and alert tables are append-only: triggers refuse every UPDATE and DELETE, and no code
/// path issues one. It never holds a secret value.
/// </summary>
public sealed class SecurityStore : IDisposable
{
    private const string Schema = """
        PRAGMA journal_mode=WAL;
        CREATE TABLE IF NOT EXISTS role_assignments (
            id TEXT PRIMARY KEY, principal_id TEXT NOT NULL, role TEXT NOT NULL, scope TEXT NOT NULL,
            created_at TEXT NOT NULL, created_by TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_role_assignments_principal ON role_assignments(principal_id);
        CREATE TABLE IF NOT EXISTS audit_records (
            seq INTEGER PRIMARY KEY AUTOINCREMENT, time TEXT NOT NULL, principal TEXT NOT NULL, role TEXT, device TEXT,
            operation TEXT NOT NULL, resource TEXT, secret_name TEXT, client_ip TEXT, result TEXT NOT NULL, status INTEGER NOT NULL,
            prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_audit_time ON audit_records(time);
        CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit_records BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
        CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit_records BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
        CREATE TABLE IF NOT EXISTS security_alerts (
            seq INTEGER PRIMARY KEY AUTOINCREMENT, time TEXT NOT NULL, kind TEXT NOT NULL, resource TEXT, principal TEXT, message TEXT NOT NULL);
        CREATE TRIGGER IF NOT EXISTS alerts_no_update BEFORE UPDATE ON security_alerts BEGIN SELECT RAISE(ABORT, 'alerts are append-only'); END;
        CREATE TRIGGER IF NOT EXISTS alerts_no_delete BEFORE DELETE ON security_alerts BEGIN SELECT RAISE(ABORT, 'alerts are append-only'); END;
        """;

    private readonly string connectionString;

    public SecurityStore(string databasePath)
    {
        OwnerOnlyFiles.PrepareDatabaseFile(databasePath);
        DatabasePath = databasePath;
        connectionString = new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = true }.ToString();
        using SqliteConnection connection = Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = Schema;
        command.ExecuteNonQuery();
    }

    public string DatabasePath { get; }

    /// <summary>Serializes writers so the audit hash chain has one tail.</summary>
    internal SemaphoreSlim Writes { get; } = new(1, 1);

    internal SqliteConnection Open()
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        using SqliteCommand pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA busy_timeout=5000;";
        pragma.ExecuteNonQuery();
        return connection;
    }

    public void Dispose()
    {
        Writes.Dispose();
        SqliteConnection.ClearAllPools();
    }
}
