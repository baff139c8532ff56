using Npgsql;

namespace EdgeKv.Durable.Tests;

/// <summary>
/// The PostgreSQL server the tests use: its connection string comes from <c>EDGEKV_TEST_POSTGRES</c>, which
/// <c>.ci/run</c> sets after starting a throwaway server. Each test gets a schema of its own, dropped afterwards.
/// Without the variable the PostgreSQL tests are reported inconclusive (skipped), never passed.
/// </summary>
internal sealed class PostgresTestDatabase : IAsyncDisposable
{
    public const string Variable = "EDGEKV_TEST_POSTGRES";

    private PostgresTestDatabase(string connectionString, string schema)
    {
        ConnectionString = connectionString;
        Schema = schema;
    }

    public string ConnectionString { get; }

    public string Schema { get; }

    public static PostgresTestDatabase Create()
    {
        string? connectionString = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            Assert.Inconclusive($"{Variable} is not set: no PostgreSQL server to test against (.ci/run starts one).");
        }

        return new PostgresTestDatabase(connectionString, "hub_" + Guid.NewGuid().ToString("N")[..12]);
    }

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{Schema}\" CASCADE", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
