using DurableTask.Core;
using DurableTask.Core.Exceptions;
using DurableTask.Core.History;
using EdgeKv.Tests.Support;
using Microsoft.Data.Sqlite;

namespace EdgeKv.Durable.Sqlite.Tests;

/// <summary>
/// What is the SQLite provider's own: its file, schema, leases shared by hosts on one file, split-brain.
/// </summary>
[TestClass]
public sealed class SqliteOrchestrationServiceTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(3); // a bound on a hang, not a timing assertion
    private readonly TempDirectory _folder = new("edgekv-dtfx");
    private readonly List<SqliteOrchestrationService> _services = [];

    [TestCleanup]
    public async Task CleanupAsync()
    {
        foreach (SqliteOrchestrationService service in _services) await service.DisposeAsync();
        _folder.Dispose();
    }

    [TestMethod]
    public async Task DatabaseFiles_AreOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Inconclusive("Unix file modes only.");
            return;
        }

        SqliteOrchestrationService service = await StartedAsync();
        await StartInstanceAsync(service, "a");
        string db = DatabasePath;
        foreach (string file in new[] { db, db + "-wal", db + "-shm" })
        {
            Assert.IsTrue(File.Exists(file), file);
            Assert.AreEqual(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file), file);
        }
    }

    [TestMethod]
    public async Task SchemaScripts_AreAppliedOnce_AndRecorded()
    {
        await (await StartedAsync()).DisposeAsync();
        await StartedAsync();
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        using SqliteCommand cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT group_concat(version) FROM schema_versions";
        Assert.AreEqual("1", cmd.ExecuteScalar());
    }

    [TestMethod]
    public async Task ExpiredLease_LetsAnotherHostTakeTheInstance_AndTheFirstHostsCheckpointIsRefused()
    {
        // The first host stopped renewing (a paused process, a hung machine): opened, never started, so no lease
        // keeper.
        SqliteOrchestrationService first = await StartedAsync(s => s.WorkItemLockTimeout = TimeSpan.FromSeconds(1),
            start: false);
        SqliteOrchestrationService second = await StartedAsync(s => s.WorkItemLockTimeout = TimeSpan.FromSeconds(30));
        await StartInstanceAsync(first, "split");

        TaskOrchestrationWorkItem held = (await first.LockNextTaskOrchestrationWorkItemAsync(Bound,
            CancellationToken.None))!;
        TaskOrchestrationWorkItem taken = (await second.LockNextTaskOrchestrationWorkItemAsync(Bound,
            CancellationToken.None))!;
        Assert.AreEqual("split", taken.InstanceId);

        await CheckpointAsync(second, taken);
        await Assert.ThrowsExactlyAsync<SessionAbortedException>(() => CheckpointAsync(first, held));
        OrchestrationState? state = await second.GetOrchestrationStateAsync("split", executionId: null);
        Assert.AreEqual(OrchestrationStatus.Running, state?.OrchestrationStatus);
    }

    [TestMethod]
    public async Task RunningHost_KeepsTheLeasesOfItsWorkItems_PastTheLeaseTime()
    {
        // A lease of seconds, renewed at half of it: a busy machine can stall the renewal for a second, not for 2.5.
        SqliteOrchestrationService first = await StartedAsync(s => s.WorkItemLockTimeout = TimeSpan.FromSeconds(5));
        SqliteOrchestrationService second = await StartedAsync();
        await StartInstanceAsync(first, "kept");
        TaskOrchestrationWorkItem held = (await first.LockNextTaskOrchestrationWorkItemAsync(Bound,
            CancellationToken.None))!;
        var scheduled = new TaskScheduledEvent(0) { Name = "Slow", Version = "" };
        await CheckpointAsync(first, held, scheduled);
        TaskActivityWorkItem running = (await first.LockNextTaskActivityWorkItem(Bound, CancellationToken.None))!;

        // Three lease times: without the first host's renewals the second would take the activity.
        Assert.IsNull(await second.LockNextTaskActivityWorkItem(TimeSpan.FromSeconds(15), CancellationToken.None));
        Assert.AreEqual(DateTime.MaxValue, running.LockedUntilUtc, "the framework starts no renewal task of its own");
    }

    [TestMethod]
    public async Task HeldLease_KeepsOtherHostsOut_AndRenewExtendsIt()
    {
        SqliteOrchestrationService first = await StartedAsync();
        SqliteOrchestrationService second = await StartedAsync();
        await StartInstanceAsync(first, "held");
        TaskOrchestrationWorkItem held = (await first.LockNextTaskOrchestrationWorkItemAsync(Bound,
            CancellationToken.None))!;
        long lockedUntil = ((SqliteOrchestrationWorkItem)held).LeaseExpiresAt;

        Assert.IsNull(await second.LockNextTaskOrchestrationWorkItemAsync(TimeSpan.FromMilliseconds(300),
            CancellationToken.None));
        await first.RenewTaskOrchestrationWorkItemLockAsync(held);
        Assert.IsGreaterThan(lockedUntil, ((SqliteOrchestrationWorkItem)held).LeaseExpiresAt);
    }

    [TestMethod]
    public async Task AbandonedWorkItem_IsHandedOutAgain_WithoutWaitingForTheLease()
    {
        SqliteOrchestrationService first = await StartedAsync(s => s.WorkItemLockTimeout = TimeSpan.FromMinutes(10));
        SqliteOrchestrationService second = await StartedAsync();
        await StartInstanceAsync(first, "abandoned");
        TaskOrchestrationWorkItem held = (await first.LockNextTaskOrchestrationWorkItemAsync(Bound,
            CancellationToken.None))!;
        await first.AbandonTaskOrchestrationWorkItemAsync(held);

        TaskOrchestrationWorkItem? again = await second.LockNextTaskOrchestrationWorkItemAsync(Bound,
            CancellationToken.None);
        Assert.AreEqual("abandoned", again?.InstanceId);
    }

    [TestMethod]
    public async Task Start_ReleasesTheLeasesItsOwnerIdStillHolds_AndNoOtherOwners()
    {
        SqliteOrchestrationService dead = await StartedAsync(s => { s.OwnerId = "host-1"; s.WorkItemLockTimeout = TimeSpan.FromMinutes(10); });
        SqliteOrchestrationService other = await StartedAsync(s => { s.OwnerId = "host-2"; s.WorkItemLockTimeout = TimeSpan.FromMinutes(10); });
        await StartInstanceAsync(other, "theirs");
        Assert.AreEqual("theirs",
            (await other.LockNextTaskOrchestrationWorkItemAsync(Bound, CancellationToken.None))?.InstanceId);
        await StartInstanceAsync(dead, "mine");
        Assert.AreEqual("mine",
            (await dead.LockNextTaskOrchestrationWorkItemAsync(Bound, CancellationToken.None))?.InstanceId);

        SqliteOrchestrationService restarted = await StartedAsync(s => s.OwnerId = "host-1");
        TaskOrchestrationWorkItem? resumed = await restarted.LockNextTaskOrchestrationWorkItemAsync(Bound,
            CancellationToken.None);
        Assert.AreEqual("mine", resumed?.InstanceId);
        Assert.IsNull(await restarted.LockNextTaskOrchestrationWorkItemAsync(TimeSpan.FromMilliseconds(300),
            CancellationToken.None));
    }

    [TestMethod]
    public async Task Activity_HandedOutMoreThanMaxDequeueCount_FailsWithAPoisonMessageFailure()
    {
        SqliteOrchestrationService service = await StartedAsync(s => s.MaxDequeueCount = 2);
        await StartInstanceAsync(service, "poison-activity");
        TaskOrchestrationWorkItem item = (await service.LockNextTaskOrchestrationWorkItemAsync(Bound,
            CancellationToken.None))!;
        var scheduled = new TaskScheduledEvent(0) { Name = "Crashes", Version = "" };
        await CheckpointAsync(service, item, scheduled);

        for (int i = 0; i < 2; i++)
        {
            TaskActivityWorkItem activity = (await service.LockNextTaskActivityWorkItem(Bound,
                CancellationToken.None))!;
            await service.AbandonTaskActivityWorkItemAsync(activity);
        }

        Assert.IsNull(await service.LockNextTaskActivityWorkItem(TimeSpan.FromMilliseconds(300),
            CancellationToken.None));
        TaskOrchestrationWorkItem next = (await service.LockNextTaskOrchestrationWorkItemAsync(Bound,
            CancellationToken.None))!;
        var failed = (TaskFailedEvent)next.NewMessages.Single().Event;
        Assert.AreEqual(0, failed.TaskScheduledId);
        Assert.AreEqual("PoisonMessage", failed.FailureDetails?.ErrorType);
    }

    [TestMethod]
    public async Task OrchestrationMessage_HandedOutMoreThanMaxDequeueCount_FailsTheInstance()
    {
        SqliteOrchestrationService service = await StartedAsync(s => s.MaxDequeueCount = 2);
        await StartInstanceAsync(service, "poison-instance");
        for (int i = 0; i < 2; i++)
        {
            TaskOrchestrationWorkItem item = (await service.LockNextTaskOrchestrationWorkItemAsync(Bound,
                CancellationToken.None))!;
            await service.AbandonTaskOrchestrationWorkItemAsync(item);
        }

        Assert.IsNull(await service.LockNextTaskOrchestrationWorkItemAsync(TimeSpan.FromMilliseconds(300),
            CancellationToken.None));
        OrchestrationState? state = await service.GetOrchestrationStateAsync("poison-instance", executionId: null);
        Assert.AreEqual(OrchestrationStatus.Failed, state?.OrchestrationStatus);
        Assert.AreEqual("PoisonMessage", state?.FailureDetails?.ErrorType);
    }

    [TestMethod]
    public async Task Query_WithAContinuationTokenItDidNotIssue_IsRefusedAsAnArgument()
    {
        SqliteOrchestrationService service = await StartedAsync();
        await Assert.ThrowsExactlyAsync<ArgumentException>(() => service.GetOrchestrationWithQueryAsync(
            new DurableTask.Core.Query.OrchestrationQuery { ContinuationToken = "not-a-token" },
            CancellationToken.None));
    }

    private string DatabasePath => Path.Combine(_folder.Path, "hub", "hub.db");

    private async Task<SqliteOrchestrationService> StartedAsync(Action<SqliteOrchestrationServiceSettings>? configure = null, bool start = true)
    {
        var settings = new SqliteOrchestrationServiceSettings { DatabasePath = DatabasePath,
            ExtendedSessionsEnabled = false };
        configure?.Invoke(settings);
        var service = new SqliteOrchestrationService(settings);
        _services.Add(service);
        await service.CreateIfNotExistsAsync();
        if (start) await service.StartAsync();
        return service;
    }

    private static Task StartInstanceAsync(SqliteOrchestrationService service, string instanceId) =>
        new TaskHubClient(service).CreateOrchestrationInstanceAsync("Test", "", instanceId, null);

    /// <summary>Records an episode that only started the instance, as the dispatcher would.</summary>
    private static Task CheckpointAsync(SqliteOrchestrationService service, TaskOrchestrationWorkItem item,
        TaskScheduledEvent? activity = null)
    {
        var runtime = new OrchestrationRuntimeState(item.OrchestrationRuntimeState.Events);
        runtime.AddEvent(new OrchestratorStartedEvent(-1));
        foreach (TaskMessage message in item.NewMessages) runtime.AddEvent(message.Event);
        var outbound = new List<TaskMessage>();
        if (activity is not null)
        {
            runtime.AddEvent(activity);
            outbound.Add(new TaskMessage { Event = activity, OrchestrationInstance = runtime.OrchestrationInstance });
        }

        runtime.AddEvent(new OrchestratorCompletedEvent(-1));
        var state = new OrchestrationState
        {
            OrchestrationInstance = runtime.OrchestrationInstance,
            Name = runtime.Name,
            OrchestrationStatus = OrchestrationStatus.Running,
            CreatedTime = runtime.CreatedTime,
            LastUpdatedTime = DateTime.UtcNow,
        };
        return service.CompleteTaskOrchestrationWorkItemAsync(item, runtime, outbound, [], [], null!, state);
    }
}
