using System.Globalization;
using System.Reflection;
using Microsoft.Data.Sqlite;

namespace EdgeKv.Records;

/// <summary>
/// Versioned schema scripts (embedded <c>Schema/NNNN_name.sql</c> for EdgeKv.db, <c>Security/Schema/NNNN_name.sql</c>
/// for security.db), applied in order at start-up and recorded in <c>schema_migrations</c>, each in its own
/// transaction, so a store opened by a newer build moves forward once.
/// </summary>
public static class SchemaMigrations
{
    /// <summary>EdgeKv.db: resources, alerts, sweeps, accepted access policies, keys.</summary>
    public static IReadOnlyList<(int Version, string Name,
        string Sql)> Scripts { get; } = Load("EdgeKv.Records.Schema.");

    /// <summary>security.db: role assignments, the audit trail.</summary>
    public static IReadOnlyList<(int Version, string Name,
        string Sql)> SecurityScripts { get; } = Load("EdgeKv.Records.Security.Schema.");

    /// <summary>Applies what is missing of EdgeKv.db's scripts; returns the versions applied now.</summary>
    public static IReadOnlyList<int> Apply(SqliteConnection connection, TimeProvider time) => Apply(connection, time,
        Scripts);

    /// <summary>Applies what is missing of <paramref name="scripts"/>; returns the versions applied now.</summary>
    public static IReadOnlyList<int> Apply(SqliteConnection connection, TimeProvider time,
        IReadOnlyList<(int Version, string Name, string Sql)> scripts)
    {
        ArgumentNullException.ThrowIfNull(scripts);
        using (SqliteCommand create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL);";
            create.ExecuteNonQuery();
        }

        var applied = new HashSet<int>();
        using (SqliteCommand read = connection.CreateCommand())
        {
            read.CommandText = "SELECT version FROM schema_migrations;";
            using SqliteDataReader reader = read.ExecuteReader();
            while (reader.Read()) applied.Add(reader.GetInt32(0));
        }

        var now = new List<int>();
        foreach ((int version, string name, string sql) in scripts.Where(s => !applied.Contains(s.Version)))
        {
            using SqliteTransaction transaction = connection.BeginTransaction();
            using (SqliteCommand script = connection.CreateCommand())
            {
                script.Transaction = transaction;
                script.CommandText = sql;
                script.ExecuteNonQuery();
            }

            using (SqliteCommand record = connection.CreateCommand())
            {
                record.Transaction = transaction;
                record.CommandText = "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($v, $n, $t);";
                record.Parameters.AddWithValue("$v", version);
                record.Parameters.AddWithValue("$n", name);
                record.Parameters.AddWithValue("$t", time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
                record.ExecuteNonQuery();
            }

            transaction.Commit();
            now.Add(version);
        }

        return now;
    }

    private static List<(int, string, string)> Load(string prefix)
    {
        Assembly assembly = typeof(SchemaMigrations).Assembly;
        return [.. assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal))
            .Select(n =>
            {
                string file = n[prefix.Length..^".sql".Length];
                using var reader = new StreamReader(assembly.GetManifestResourceStream(n)!);
                return (int.Parse(file[..4], CultureInfo.InvariantCulture), file[5..], reader.ReadToEnd());
            })
            .OrderBy(s => s.Item1)];
    }
}
