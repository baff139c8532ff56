using System.Globalization;
using System.Reflection;
using Microsoft.Data.Sqlite;

namespace EdgeKv.Durable.Sqlite;

/// <summary>
/// The numbered schema scripts embedded in the assembly (Scripts/NNN_name.sql), each applied once, in order, in one
/// transaction at start-up, and recorded in schema_versions with when it was applied.
/// </summary>
internal static class SchemaScripts
{
    private const string ResourcePrefix = "EdgeKv.Durable.Sqlite.Scripts.";

    public static IReadOnlyList<(int Version, string Name, string Sql)> Load()
    {
        Assembly assembly = typeof(SchemaScripts).Assembly;
        var scripts = new List<(int, string, string)>();
        foreach (string resource in assembly.GetManifestResourceNames().Where(r => r.StartsWith(ResourcePrefix,
            StringComparison.Ordinal)))
        {
            string name = resource[ResourcePrefix.Length..^".sql".Length];
            int version = int.Parse(name[..name.IndexOf('_', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            scripts.Add((version, name, reader.ReadToEnd()));
        }

        return [.. scripts.OrderBy(s => s.Item1)];
    }

    public static int LatestVersion => Load().Max(s => s.Version);

    /// <summary>Applies the scripts not yet recorded; returns how many it applied.</summary>
    public static int Apply(SqliteConnection connection, long nowTicks)
    {
        Execute(connection, null,
            "CREATE TABLE IF NOT EXISTS schema_versions (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)");
        using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
        var applied = new HashSet<int>();
        using (SqliteCommand read = Command(connection, transaction, "SELECT version FROM schema_versions"))
        using (SqliteDataReader reader = read.ExecuteReader())
        {
            while (reader.Read()) applied.Add(reader.GetInt32(0));
        }

        int count = 0;
        foreach ((int version, string name, string sql) in Load())
        {
            if (applied.Contains(version)) continue;
            Execute(connection, transaction, sql);
            using SqliteCommand record = Command(connection, transaction,
                "INSERT INTO schema_versions (version, name, applied_at) VALUES ($v, $n, $t)");
            record.Parameters.AddWithValue("$v", version);
            record.Parameters.AddWithValue("$n", name);
            record.Parameters.AddWithValue("$t", nowTicks);
            record.ExecuteNonQuery();
            count++;
        }

        transaction.Commit();
        return count;
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
