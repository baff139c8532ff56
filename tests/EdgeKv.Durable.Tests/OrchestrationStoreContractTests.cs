using EdgeKv.Durable.History;
using EdgeKv.Durable.Storage;
using EdgeKv.Tests.Shared;

namespace EdgeKv.Durable.Tests;

/// <summary>
/// The store contract every backend must pass. A backend's test class derives from this one and says how to
/// open a fresh store; the runtime relies on exactly these behaviours.
/// </summary>
public abstract class OrchestrationStoreContractTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    protected ManualTimeProvider Clock { get; } = new();

    protected abstract Task<IOrchestrationStore> OpenStoreAsync();

    private static ExecutionStartedEvent Started(string name = "Flow") => new(name, Guid.NewGuid().ToString("N"), "\"input\"");

    [TestMethod]
    public async Task Create_refuses_an_active_id_and_replaces_a_finished_one()
    {
        await using IOrchestrationStore store = await OpenStoreAsync();

        Assert.IsTrue(await store.CreateInstanceAsync("i1", Started(), null));
        Assert.IsFalse(await store.CreateInstanceAsync("i1", Started(), null));

        OrchestrationWorkItem item = (await store.LockNextOrchestrationAsync("w", Lease))!;
        await store.CompleteOrchestrationAsync(item, Checkpoint(item, OrchestrationRuntimeStatus.Completed, [item.Messages[0].Event]));
        Assert.IsTrue(await store.CreateInstanceAsync("i1", Started(), null));
        Assert.AreEqual(OrchestrationRuntimeStatus.Pending, (await store.GetInstanceAsync("i1"))!.Status);
        Assert.AreEqual(0, (await store.GetHistoryAsync("i1")).Count);
    }

    [TestMethod]
    public async Task A_locked_instance_is_invisible_until_its_lease_expires()
    {
        await using IOrchestrationStore store = await OpenStoreAsync();
        await store.CreateInstanceAsync("i1", Started(), null);

        OrchestrationWorkItem first = (await store.LockNextOrchestrationAsync("w1", Lease))!;
        Assert.IsNull(await store.LockNextOrchestrationAsync("w2", Lease));

        Clock.Advance(Lease + TimeSpan.FromSeconds(1));
        OrchestrationWorkItem second = (await store.LockNextOrchestrationAsync("w2", Lease))!;

        Assert.AreEqual("i1", second.InstanceId);
        Assert.AreEqual(2, second.Messages[0].DequeueCount, "each hand-out is counted");
        await Assert.ThrowsExactlyAsync<LeaseLostException>(
            () => store.CompleteOrchestrationAsync(first, Checkpoint(first, OrchestrationRuntimeStatus.Running, [first.Messages[0].Event])));
    }

    [TestMethod]
    public async Task Appends_land_at_the_stored_history_position_whatever_a_stale_work_item_believes()
    {
        await using IOrchestrationStore store = await OpenStoreAsync();
        await store.CreateInstanceAsync("i1", Started(), null);
        OrchestrationWorkItem item = (await store.LockNextOrchestrationAsync("w1", Lease))!;
        await store.CompleteOrchestrationAsync(item, Checkpoint(item, OrchestrationRuntimeStatus.Running, [item.Messages[0].Event]));
        await store.SendMessageAsync(new OutboundMessage("i1", new EventRaisedEvent("e", null)));

        OrchestrationWorkItem next = (await store.LockNextOrchestrationAsync("w1", Lease))!;
        // The stale work item still believes the history holds 0 events: its write must not land.
        OrchestrationWorkItem stale = next with { Instance = next.Instance with { HistoryCount = 0 } };
        await store.CompleteOrchestrationAsync(stale, Checkpoint(stale, OrchestrationRuntimeStatus.Running, [new EventRaisedEvent("e", null)]));

        Assert.AreEqual(2, (await store.GetHistoryAsync("i1")).Count, "the history is appended at the stored position, never overwritten");
    }

    [TestMethod]
    public async Task Delayed_messages_become_visible_at_their_time()
    {
        await using IOrchestrationStore store = await OpenStoreAsync();
        await store.CreateInstanceAsync("i1", Started(), Clock.GetUtcNow().UtcDateTime.AddMinutes(5));

        Assert.IsNull(await store.LockNextOrchestrationAsync("w", Lease));
        Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.IsNotNull(await store.LockNextOrchestrationAsync("w", Lease));
    }

    [TestMethod]
    public async Task Completing_an_activity_queues_its_result_once_and_a_lost_lease_drops_it()
    {
        await using IOrchestrationStore store = await OpenStoreAsync();
        await store.CreateInstanceAsync("i1", Started(), null);
        OrchestrationWorkItem item = (await store.LockNextOrchestrationAsync("w", Lease))!;
        await store.CompleteOrchestrationAsync(item, Checkpoint(item, OrchestrationRuntimeStatus.Running, [item.Messages[0].Event],
            activities: [new ActivityRequest(0, "Step", null), new ActivityRequest(1, "Step", null)]));

        IReadOnlyList<ActivityWorkItem> batch = await store.LockNextActivitiesAsync("w", 10, Lease);
        Assert.AreEqual(2, batch.Count);
        Assert.AreEqual(0, (await store.LockNextActivitiesAsync("w2", 10, Lease)).Count);

        Assert.IsTrue((await store.CompleteActivityAsync(batch[0], new TaskCompletedEvent(0, "1"))).Completed);
        Assert.IsFalse((await store.CompleteActivityAsync(batch[0], new TaskCompletedEvent(0, "1"))).Completed, "a second completion of the same work item is dropped");

        Clock.Advance(Lease + TimeSpan.FromSeconds(1));
        ActivityWorkItem retaken = (await store.LockNextActivitiesAsync("w2", 10, Lease)).Single();
        Assert.AreEqual(2, retaken.DequeueCount);
        Assert.IsFalse((await store.CompleteActivityAsync(batch[1], new TaskCompletedEvent(1, "late"))).Completed, "the first holder lost its lease");
        Assert.IsTrue((await store.CompleteActivityAsync(retaken, new TaskCompletedEvent(1, "2"))).Completed);

        OrchestrationWorkItem results = (await store.LockNextOrchestrationAsync("w", Lease))!;
        CollectionAssert.AreEqual(new[] { "1", "2" }, results.Messages.Select(m => ((TaskCompletedEvent)m.Event).Result).ToArray());
    }

    [TestMethod]
    public async Task An_episode_commit_leases_the_activities_it_schedules_to_its_worker_up_to_the_limit()
    {
        await using IOrchestrationStore store = await OpenStoreAsync();
        await store.CreateInstanceAsync("i1", Started(), null);
        OrchestrationWorkItem item = (await store.LockNextOrchestrationAsync("w", Lease))!;

        OrchestrationCommit commit = await store.CompleteOrchestrationAsync(item, Checkpoint(item, OrchestrationRuntimeStatus.Running, [item.Messages[0].Event],
            activities: [new ActivityRequest(0, "A", "\"a\""), new ActivityRequest(1, "B", null), new ActivityRequest(2, "C", null)]), new WorkLease("w", Lease, MaxActivities: 2));

        CollectionAssert.AreEqual(new[] { 0, 1 }, commit.LeasedActivities.Select(a => a.TaskId).ToArray());
        Assert.AreEqual("\"a\"", commit.LeasedActivities[0].Input);
        Assert.AreEqual(2, commit.LeasedActivities.Select(a => a.SequenceNumber).Distinct().Count());
        ActivityWorkItem rest = (await store.LockNextActivitiesAsync("other", 10, Lease)).Single();
        Assert.AreEqual(2, rest.TaskId, "only the one not leased with the commit is left for other workers");
        foreach (ActivityWorkItem leased in commit.LeasedActivities)
        {
            Assert.IsTrue((await store.CompleteActivityAsync(leased, new TaskCompletedEvent(leased.TaskId, "1"))).Completed, "the commit's leases are real leases");
        }
    }

    [TestMethod]
    public async Task Renewing_an_activity_lease_keeps_it_from_other_workers()
    {
        await using IOrchestrationStore store = await OpenStoreAsync();
        await store.CreateInstanceAsync("i1", Started(), null);
        OrchestrationWorkItem item = (await store.LockNextOrchestrationAsync("w", Lease))!;
        await store.CompleteOrchestrationAsync(item, Checkpoint(item, OrchestrationRuntimeStatus.Running, [item.Messages[0].Event], activities: [new ActivityRequest(0, "Long", null)]));
        ActivityWorkItem work = (await store.LockNextActivitiesAsync("w1", 1, Lease)).Single();

        Clock.Advance(Lease - TimeSpan.FromSeconds(1));
        Assert.IsTrue(await store.RenewActivityLeaseAsync(work, Lease));
        Clock.Advance(TimeSpan.FromSeconds(2));

        Assert.AreEqual(0, (await store.LockNextActivitiesAsync("w2", 1, Lease)).Count);
    }

    [TestMethod]
    public async Task Query_and_purge_see_the_same_instances()
    {
        await using IOrchestrationStore store = await OpenStoreAsync();
        for (int i = 0; i < 3; i++)
        {
            await store.CreateInstanceAsync($"p-{i}", Started(), null);
            Clock.Advance(TimeSpan.FromSeconds(1));
        }

        InstancePage firstPage = await store.QueryInstancesAsync(new InstanceQuery { PageSize = 2 });
        InstancePage secondPage = await store.QueryInstancesAsync(new InstanceQuery { PageSize = 2, ContinuationToken = firstPage.ContinuationToken });

        CollectionAssert.AreEqual(new[] { "p-0", "p-1" }, firstPage.Instances.Select(i => i.InstanceId).ToArray());
        CollectionAssert.AreEqual(new[] { "p-2" }, secondPage.Instances.Select(i => i.InstanceId).ToArray());
        Assert.IsNull(secondPage.ContinuationToken);
        Assert.AreEqual(0, await store.PurgeInstancesAsync(new PurgeFilter()), "pending instances are not purged");
    }

    [TestMethod]
    public async Task Paging_through_instances_created_at_the_same_moment_returns_each_once()
    {
        await using IOrchestrationStore store = await OpenStoreAsync();
        string[] ids = ["b", "B", "a", "_x", "a-1", "A_1", "z", "0"];
        foreach (string id in ids) await store.CreateInstanceAsync(id, Started(), null);

        var seen = new List<string>();
        string? token = null;
        do
        {
            InstancePage page = await store.QueryInstancesAsync(new InstanceQuery { PageSize = 3, ContinuationToken = token });
            seen.AddRange(page.Instances.Select(i => i.InstanceId));
            token = page.ContinuationToken;
        }
        while (token is not null);

        CollectionAssert.AreEqual(ids.Order(StringComparer.Ordinal).ToArray(), seen.ToArray(), "byte order, every id once");
    }

    private static OrchestrationCheckpoint Checkpoint(
        OrchestrationWorkItem item, OrchestrationRuntimeStatus status, IReadOnlyList<HistoryEvent> history, IReadOnlyList<ActivityRequest>? activities = null)
        => new(item.Instance.ExecutionId, item.Instance.Name, status, item.Instance.Input, null, null, null, history, false, activities ?? [], []);
}

[TestClass]
public sealed class SqliteOrchestrationStoreTests : OrchestrationStoreContractTests
{
    private readonly TempDirectory _folder = new("store");

    [TestCleanup]
    public void Cleanup() => _folder.Dispose();

    protected override async Task<IOrchestrationStore> OpenStoreAsync()
    {
        var store = new Storage.Sqlite.SqliteOrchestrationStore(new Storage.Sqlite.SqliteStoreOptions(Path.Combine(_folder.Path, "hub.db")), Clock);
        await store.InitializeAsync();
        return store;
    }

    [TestMethod]
    public async Task Schema_is_versioned_and_reopening_applies_nothing_twice()
    {
        await (await OpenStoreAsync()).DisposeAsync();
        await using IOrchestrationStore reopened = await OpenStoreAsync();

        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_folder.Path, "hub.db")};Pooling=False");
        connection.Open();
        using Microsoft.Data.Sqlite.SqliteCommand cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT group_concat(version) FROM schema_versions";
        Assert.AreEqual("1", cmd.ExecuteScalar());
        cmd.CommandText = "PRAGMA journal_mode";
        Assert.AreEqual("wal", cmd.ExecuteScalar());
    }
}
