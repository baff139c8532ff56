using Npgsql;

namespace EdgeKv.Durable.Storage.Postgres;

/// <summary>
/// Creates the hub's schema and applies the numbered scripts embedded in the assembly, each once, recorded in
/// <c>schema_versions</c>. Hosts that start together take turns on a transaction-scoped advisory lock.
/// </summary>
internal static class PostgresSchema
{
    private const string ResourcePrefix = "EdgeKv.Durable.Postgres.";

    public static async Task ApplyAsync(NpgsqlConnection connection, string schema, TimeProvider time, CancellationToken cancellationToken)
    {
        await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock(hashtext('edgekv-schema:' || {Literal(schema)}))", cancellationToken);
        await ExecuteAsync(connection, transaction, $"CREATE SCHEMA IF NOT EXISTS {Identifier(schema)}", cancellationToken);
        await ExecuteAsync(connection, transaction, $"SET LOCAL search_path TO {Identifier(schema)}", cancellationToken);
        await ExecuteAsync(connection, transaction, "CREATE TABLE IF NOT EXISTS schema_versions (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)", cancellationToken);
        var applied = new HashSet<int>();
        await using (var read = new NpgsqlCommand("SELECT version FROM schema_versions", connection, transaction))
        await using (NpgsqlDataReader reader = await read.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken)) applied.Add(reader.GetInt32(0));
        }

        foreach ((int version, string name, string sql) in SchemaScripts.Load(ResourcePrefix))
        {
            if (applied.Contains(version)) continue;
            await ExecuteAsync(connection, transaction, sql, cancellationToken);
            await using var record = new NpgsqlCommand("INSERT INTO schema_versions (version, name, applied_at) VALUES (@v, @n, @t)", connection, transaction);
            record.Parameters.AddWithValue("v", version);
            record.Parameters.AddWithValue("n", name);
            record.Parameters.AddWithValue("t", time.GetUtcNow().UtcTicks);
            await record.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>A quoted identifier: the schema name comes from configuration, so it is quoted, never pasted.</summary>
    public static string Identifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
