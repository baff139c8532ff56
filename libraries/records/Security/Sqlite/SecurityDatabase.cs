using Microsoft.Data.Sqlite;

namespace EdgeKv.Records.Security.Sqlite;

/// <summary>
/// EdgeKv's security database (<c>security.db</c> beside the task hub): role assignments and the audit trail, its
/// schema in versioned migrations (<c>Security/Schema/NNNN_name.sql</c>). The audit table is append-only: triggers
/// refuse every UPDATE and DELETE, and no code path issues one. Security alerts are in <see cref="Alerts.AlertStore"/>
/// (the rows of the table they had here are carried over by <see cref="Alerts.SecurityAlertImport"/>). It never holds
/// a secret value.
/// </summary>
public sealed class SecurityDatabase : IDisposable
{
    private readonly string connectionString;

    public SecurityDatabase(string databasePath, TimeProvider? time = null)
    {
        OwnerOnlyFiles.PrepareDatabaseFile(databasePath);
        DatabasePath = databasePath;
        connectionString = new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = true }.ToString();
        using SqliteConnection connection = Open();
        using (SqliteCommand wal = connection.CreateCommand())
        {
            // Not in a migration: the journal mode cannot change inside a transaction.
            wal.CommandText = "PRAGMA journal_mode=WAL;";
            wal.ExecuteNonQuery();
        }

        AppliedMigrations = SchemaMigrations.Apply(connection, time ?? TimeProvider.System,
            SchemaMigrations.SecurityScripts);
    }

    public string DatabasePath { get; }

    /// <summary>The migrations this open applied (none when the file was current).</summary>
    public IReadOnlyList<int> AppliedMigrations { get; }

    /// <summary>Serializes writers so the audit hash chain has one tail.</summary>
    public SemaphoreSlim Writes { get; } = new(1, 1);

    public SqliteConnection Open()
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
