using System.Diagnostics;
using Microsoft.Data.Sqlite;

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

    /// <summary>The host.json settings (as configuration keys) that select this store's task hub.</summary>
    public abstract IEnumerable<KeyValuePair<string, string?>> Settings { get; }

    public virtual Task CleanupAsync() => Task.CompletedTask;

    /// <summary>
    /// The host.json concurrency every store runs with, the same as the framework-only rows. With host.json's defaults
    /// (16 and 16) an extended session holds its orchestration slot while it waits for its activity, so at most 16 of
    /// the 500 instances run at once and writes reach the store in smaller groups: the shapes would measure that limit,
    /// not the store.
    /// </summary>
    protected static KeyValuePair<string, string?>[] Concurrency =>
    [
        new("extensions:durableTask:maxConcurrentOrchestratorFunctions", "1000"),
        new("extensions:durableTask:maxConcurrentActivityFunctions", "100"),
    ];
}

/// <summary>The embedded SQLite hub at one durability setting.</summary>
internal sealed class SqliteBenchStore(string synchronous) : BenchStore
{
    public override string Label => $"SDK via bridges on DTFx, SQLite provider, synchronous={synchronous.ToUpperInvariant()}";

    public override Task<double> RawCommitRateAsync(string folder)
    {
        int commits = synchronous == "Full" ? 2000 : 10000;
        using var connection = new SqliteConnection($"Data Source={Path.Combine(folder, "raw.db")};Pooling=False");
        connection.Open();
        using (SqliteCommand setup = connection.CreateCommand())
        {
            setup.CommandText = $"PRAGMA journal_mode=WAL; PRAGMA synchronous={(synchronous == "Full" ? "FULL" : "NORMAL")}; CREATE TABLE t (id INTEGER PRIMARY KEY, payload TEXT NOT NULL);";
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

    public override IEnumerable<KeyValuePair<string, string?>> Settings =>
        [new("EdgeKv:TaskHub:StorageProvider", "sqlite"), new("EdgeKv:TaskHub:Synchronous", synchronous),
            .. Concurrency];

    public override Task CleanupAsync()
    {
        SqliteConnection.ClearAllPools();
        return Task.CompletedTask;
    }
}

/// <summary>
/// Microsoft's Azure Storage provider (the backend Durable Functions uses in Azure) on the account of the connection
/// string (Azurite locally), in a fresh hub per run: Azurite slows down as a hub's tables fill. Its raw commit is one
/// table insert.
/// </summary>
internal sealed class AzureStorageBenchStore(string connectionString) : BenchStore
{
    private readonly string _hub = "bench" + Guid.NewGuid().ToString("N")[..12];

    public override string Label => "SDK via bridges on DTFx, Azure Storage provider";

    public override async Task<double> RawCommitRateAsync(string folder)
    {
        var table = new global::Azure.Data.Tables.TableClient(connectionString, "raw" + _hub);
        await table.CreateIfNotExistsAsync();
        const int commits = 500;
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < commits; i++)
        {
            await table.AddEntityAsync(new global::Azure.Data.Tables.TableEntity("p",
                i.ToString(System.Globalization.CultureInfo.InvariantCulture)) { ["payload"] = Payload });
        }

        double rate = commits / watch.Elapsed.TotalSeconds;
        await table.DeleteAsync();
        return rate;
    }

    public override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("EdgeKv:TaskHub:StorageProvider", "AzureStorage"),
        new("extensions:durableTask:hubName", _hub),
        new("AzureWebJobsStorage", connectionString),
        .. Concurrency,
    ];
}
