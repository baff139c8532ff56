using System.Diagnostics;
using EdgeKv.Durable;
using EdgeKv.Durable.Storage;
using EdgeKv.Durable.Storage.Postgres;
using EdgeKv.Durable.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace EdgeKv.Bench;

/// <summary>
/// A task-hub store under benchmark: how to measure its raw commit rate (single-row insert transactions at the
/// store's own durability, the floor any durable step pays) and how to give the host a fresh hub of it.
/// </summary>
internal abstract class BenchStore
{
    protected const string Payload = "{\"eventType\":\"TaskCompleted\",\"taskScheduledId\":1,\"result\":\"42\"}";

    public abstract string Label { get; }

    public abstract Task<double> RawCommitRateAsync(string folder);

    public abstract void Configure(IServiceCollection services);

    public virtual Task CleanupAsync() => Task.CompletedTask;
}

/// <summary>The embedded SQLite hub at one durability setting.</summary>
internal sealed class SqliteBenchStore(SqliteDurability durability) : BenchStore
{
    public override string Label => $"SQLite WAL, synchronous={durability.ToString().ToUpperInvariant()}";

    public override Task<double> RawCommitRateAsync(string folder)
    {
        int commits = durability == SqliteDurability.Full ? 2000 : 10000;
        using var connection = new SqliteConnection($"Data Source={Path.Combine(folder, "raw.db")};Pooling=False");
        connection.Open();
        using (SqliteCommand setup = connection.CreateCommand())
        {
            setup.CommandText = $"PRAGMA journal_mode=WAL; PRAGMA synchronous={(durability == SqliteDurability.Full ? "FULL" : "NORMAL")}; CREATE TABLE t (id INTEGER PRIMARY KEY, payload TEXT NOT NULL);";
            setup.ExecuteNonQuery();
        }

        using SqliteCommand insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO t (payload) VALUES ($p)";
        SqliteParameter payload = insert.Parameters.Add("$p", SqliteType.Text);
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < commits; i++)
        {
            using SqliteTransaction tx = connection.BeginTransaction(deferred: false);
            insert.Transaction = tx;
            payload.Value = Payload;
            insert.ExecuteNonQuery();
            tx.Commit();
        }

        return Task.FromResult(commits / watch.Elapsed.TotalSeconds);
    }

    public override void Configure(IServiceCollection services) =>
        services.Configure<DurableTaskOptions>(o => o.StorageProvider.Synchronous = durability);

    public override Task CleanupAsync()
    {
        SqliteConnection.ClearAllPools();
        return Task.CompletedTask;
    }
}

/// <summary>A PostgreSQL hub in a fresh schema of the given server (at the server's own durability settings), dropped afterwards.</summary>
internal sealed class PostgresBenchStore(string connectionString) : BenchStore
{
    private readonly string _schema = "bench_" + Guid.NewGuid().ToString("N")[..12];

    public override string Label => "PostgreSQL (loopback)";

    public override async Task<double> RawCommitRateAsync(string folder)
    {
        const int commits = 5000;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using (var setup = new NpgsqlCommand("CREATE TEMP TABLE t (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, payload TEXT NOT NULL)", connection))
        {
            await setup.ExecuteNonQueryAsync();
        }

        await using var insert = new NpgsqlCommand("INSERT INTO t (payload) VALUES (@p)", connection);
        insert.Parameters.AddWithValue("p", Payload);
        await insert.PrepareAsync();
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < commits; i++)
        {
            await using NpgsqlTransaction tx = await connection.BeginTransactionAsync();
            insert.Transaction = tx;
            await insert.ExecuteNonQueryAsync();
            await tx.CommitAsync();
        }

        return commits / watch.Elapsed.TotalSeconds;
    }

    public override void Configure(IServiceCollection services) =>
        services.AddSingleton<IOrchestrationStore>(sp => new PostgresOrchestrationStore(new PostgresStoreOptions(connectionString, _schema), sp.GetRequiredService<TimeProvider>()));

    public override async Task CleanupAsync()
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{_schema}\" CASCADE", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
