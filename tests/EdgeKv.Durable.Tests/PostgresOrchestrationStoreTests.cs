using System.Collections.Concurrent;
using EdgeKv.Durable.History;
using EdgeKv.Durable.Storage;
using EdgeKv.Durable.Storage.Postgres;

namespace EdgeKv.Durable.Tests;

/// <summary>
/// The PostgreSQL task hub: the whole store contract, then what only a shared server shows: two hosts on one hub
/// never take the same work, and the runtime runs orchestrations on it end to end.
/// </summary>
[TestClass]
public sealed class PostgresOrchestrationStoreTests : OrchestrationStoreContractTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private PostgresTestDatabase? _database;

    private PostgresTestDatabase Database => _database ??= PostgresTestDatabase.Create();

    [TestCleanup]
    public async Task CleanupAsync()
    {
        if (_database is not null) await _database.DisposeAsync();
    }

    protected override async Task<IOrchestrationStore> OpenStoreAsync()
    {
        var store = new PostgresOrchestrationStore(new PostgresStoreOptions(Database.ConnectionString, Database.Schema), Clock);
        await store.InitializeAsync();
        return store;
    }

    [TestMethod]
    public async Task Schema_is_created_versioned_and_applied_once_by_hosts_starting_together()
    {
        IOrchestrationStore[] hosts = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => OpenStoreAsync()));
        foreach (IOrchestrationStore host in hosts) await host.DisposeAsync();

        Assert.AreEqual(1L, await Database.ScalarAsync<long>($"SELECT count(*) FROM \"{Database.Schema}\".schema_versions"));
        Assert.AreEqual(1, await Database.ScalarAsync<int>($"SELECT max(version) FROM \"{Database.Schema}\".schema_versions"));
    }

    [TestMethod]
    public async Task Two_hosts_on_one_hub_never_lease_the_same_activity_or_instance()
    {
        await using IOrchestrationStore first = await OpenStoreAsync();
        await using IOrchestrationStore second = await OpenStoreAsync();
        for (int i = 0; i < 20; i++) await first.CreateInstanceAsync($"i{i}", new ExecutionStartedEvent("Flow", Guid.NewGuid().ToString("N"), null), null);
        OrchestrationWorkItem seed = (await first.LockNextOrchestrationAsync("seed", Lease))!;
        await first.CompleteOrchestrationAsync(seed, new OrchestrationCheckpoint(seed.Instance.ExecutionId, "Flow", OrchestrationRuntimeStatus.Running, null, null, null, null,
            [seed.Messages[0].Event], false, [.. Enumerable.Range(0, 300).Select(t => new ActivityRequest(t, "Step", null))], []));

        var activities = new ConcurrentBag<long>();
        var instances = new ConcurrentBag<string>();
        async Task DrainAsync(IOrchestrationStore store, string owner)
        {
            while (true)
            {
                IReadOnlyList<ActivityWorkItem> batch = await store.LockNextActivitiesAsync(owner, 7, Lease);
                OrchestrationWorkItem? instance = await store.LockNextOrchestrationAsync(owner, Lease);
                if (instance is not null) instances.Add(instance.InstanceId);
                if (batch.Count == 0 && instance is null) return;
                foreach (ActivityWorkItem item in batch) activities.Add(item.SequenceNumber);
            }
        }

        await Task.WhenAll(DrainAsync(first, "host-1"), DrainAsync(second, "host-2"), DrainAsync(first, "host-1b"), DrainAsync(second, "host-2b"));

        Assert.HasCount(300, activities);
        Assert.HasCount(300, activities.Distinct().ToList(), "no activity was leased twice");
        Assert.HasCount(19, instances);
        Assert.HasCount(19, instances.Distinct().ToList(), "no instance was leased twice");
    }

    [TestMethod]
    public async Task Hosts_starting_the_same_instance_at_once_create_it_once_and_the_others_are_told_it_is_active()
    {
        IOrchestrationStore[] hosts = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => OpenStoreAsync()));
        try
        {
            for (int round = 0; round < 5; round++)
            {
                string id = $"singleton-{round}";
                bool[] created = await Task.WhenAll(hosts.SelectMany(h => Enumerable.Range(0, 4).Select(_ =>
                    h.CreateInstanceAsync(id, new ExecutionStartedEvent("Sweep", Guid.NewGuid().ToString("N"), null), null))));

                Assert.AreEqual(1, created.Count(c => c), $"round {round}: exactly one start creates the instance");
                Assert.AreEqual(OrchestrationRuntimeStatus.Pending, (await hosts[0].GetInstanceAsync(id))!.Status);
            }
        }
        finally
        {
            foreach (IOrchestrationStore host in hosts) await host.DisposeAsync();
        }
    }

    [TestMethod]
    public async Task The_runtime_runs_a_sequence_and_a_fan_out_on_the_postgres_hub()
    {
        PostgresTestDatabase database = Database;
        await using DurableTestHost host = await DurableTestHost.StartAsync(r => r
            .AddActivityFunc<int, int>("Square", (_, n) => Task.FromResult(n * n))
            .AddOrchestratorFunc<int, int>("SumOfSquares", async (ctx, count) =>
            {
                int sequential = 0;
                for (int i = 1; i <= count; i++) sequential += await ctx.CallActivityAsync<int>("Square", i);
                int[] parallel = await Task.WhenAll(Enumerable.Range(1, count).Select(i => ctx.CallActivityAsync<int>("Square", i)));
                return sequential == parallel.Sum() ? sequential : -1;
            }),
            store: time => new PostgresOrchestrationStore(new PostgresStoreOptions(database.ConnectionString, database.Schema), time));

        OrchestrationMetadata done = await host.RunAsync("SumOfSquares", 25);

        Assert.AreEqual(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus, done.FailureDetails?.ErrorMessage);
        Assert.AreEqual(Enumerable.Range(1, 25).Sum(i => i * i), done.ReadOutputAs<int>());
        Assert.AreEqual(1 + (25 * 2) + (25 * 2) + 1, (await host.Client.GetHistoryAsync(done.InstanceId)).Count(e => e.EventType != "OrchestratorStarted"),
            "started, the steps scheduled and completed, completed");
    }
}
