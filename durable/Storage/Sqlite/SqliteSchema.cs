using Microsoft.Data.Sqlite;

namespace EdgeKv.Durable.Storage.Sqlite;

/// <summary>Applies the numbered schema scripts embedded in the assembly, each once, and records them.</summary>
internal static class SqliteSchema
{
    private const string ResourcePrefix = "EdgeKv.Durable.Sqlite.";

    public static int LatestVersion => Scripts().Max(s => s.Version);

    private static IReadOnlyList<(int Version, string Name, string Sql)> Scripts() => SchemaScripts.Load(ResourcePrefix);

    public static void Apply(SqliteConnection connection, TimeProvider time)
    {
        Execute(connection, null, "CREATE TABLE IF NOT EXISTS schema_versions (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)");
        using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
        var applied = new HashSet<int>();
        using (SqliteCommand read = Command(connection, transaction, "SELECT version FROM schema_versions"))
        using (SqliteDataReader reader = read.ExecuteReader())
        {
            while (reader.Read()) applied.Add(reader.GetInt32(0));
        }

        foreach ((int version, string name, string sql) in Scripts())
        {
            if (applied.Contains(version)) continue;
            Execute(connection, transaction, sql);
            using SqliteCommand record = Command(connection, transaction, "INSERT INTO schema_versions (version, name, applied_at) VALUES ($v, $n, $t)");
            record.Parameters.AddWithValue("$v", version);
            record.Parameters.AddWithValue("$n", name);
            record.Parameters.AddWithValue("$t", time.GetUtcNow().UtcTicks);
            record.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using SqliteCommand command = Command(connection, transaction, sql);
        command.ExecuteNonQuery();
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }
}
