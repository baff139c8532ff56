using Microsoft.Data.Sqlite;

namespace EdgeKv.Records;

/// <summary>
/// The one SQLite file both of EdgeKv's stores use (EdgeKv.db): how it is prepared (folder, WAL, migrations) and how a
/// connection to it is opened, so the resource and alert stores cannot drift apart.
/// </summary>
internal static class EdgeKvDatabase
{
    /// <summary>
    /// Creates the folder, switches the file to WAL, applies pending migrations; returns the connection string and what
    /// was applied.
    /// </summary>
    public static (string ConnectionString, IReadOnlyList<int> AppliedMigrations) Prepare(ResourceStoreOptions options,
        TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        OwnerOnlyFiles.PrepareDatabaseFile(options.DatabasePath);
        string connectionString = new SqliteConnectionStringBuilder { DataSource = options.DatabasePath,
            Pooling = false }.ToString();
        using SqliteConnection connection = Open(connectionString);
        using (SqliteCommand wal = connection.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode=WAL;";
            wal.ExecuteNonQuery();
        }

        return (connectionString, SchemaMigrations.Apply(connection, time));
    }

    public static SqliteConnection Open(string connectionString)
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        using SqliteCommand busy = connection.CreateCommand();
        busy.CommandText = "PRAGMA busy_timeout=5000;";
        busy.ExecuteNonQuery();
        return connection;
    }
}
