using DurableTask.Core;
using DurableTask.Core.Exceptions;
using DurableTask.Core.Query;

namespace EdgeKv.Durable.Sqlite.Tests;

/// <summary>
/// What any storage provider of the Durable Task Framework must do, asserted through a real TaskHubWorker and
/// TaskHubClient. A derived class supplies the provider (SQLite here; the Azure Storage provider could run the same).
/// </summary>
public abstract class OrchestrationServiceContract
{
    private TestHub? _hub;
    private IOrchestrationServiceClient? _client;

    public TestContext TestContext { get; set; } = null!;

    protected TestHub Hub => _hub ?? throw new InvalidOperationException("The hub is not started.");

    /// <summary>A provider on fresh, empty storage: the worker side and the client side (often one object).</summary>
    protected abstract Task<(IOrchestrationService Service, IOrchestrationServiceClient Client)> CreateProviderAsync();

    protected abstract Task DisposeProviderAsync();

    /// <summary>
    /// How early a provider may fire a durable timer (Azure Storage queues take delays in whole seconds).
    /// </summary>
    protected virtual TimeSpan TimerEarliness => TimeSpan.Zero;

    /// <summary>
    /// Whether an event raised to an instance whose scheduled start is still ahead waits for it (on Azure Storage such
    /// an event never reached the instance in our runs).
    /// </summary>
    protected virtual bool KeepsEventsRaisedBeforeAScheduledStart => true;

    /// <summary>
    /// Whether purging by id deletes an instance that is still active (Azure Storage does; SQLite refuses).
    /// </summary>
    protected virtual bool PurgeByIdDeletesActiveInstances => false;

    [TestInitialize]
    public async Task StartHubAsync()
    {
        (IOrchestrationService service, IOrchestrationServiceClient client) = await CreateProviderAsync();
        _client = client;
        _hub = await TestHub.StartAsync(service, client);
    }

    [TestCleanup]
    public async Task StopHubAsync()
    {
        if (_hub is not null) await _hub.DisposeAsync();
        await DisposeProviderAsync();
    }

    [TestMethod]
    public async Task SequenceOfActivities_Completes_WithTheLastResult()
    {
        OrchestrationInstance instance = await Hub.StartAsync<SequenceOrchestration>(Id(), 10);
        OrchestrationState state = await Hub.CompletionAsync(instance);
        Assert.AreEqual(OrchestrationStatus.Completed, state.OrchestrationStatus);
        Assert.AreEqual("10", state.Output);
    }

    [TestMethod]
    public async Task FanOut_Completes_WithTheSumOfAllResults()
    {
        OrchestrationInstance instance = await Hub.StartAsync<FanOutOrchestration>(Id(), 50);
        OrchestrationState state = await Hub.CompletionAsync(instance);
        Assert.AreEqual(OrchestrationStatus.Completed, state.OrchestrationStatus);
        Assert.AreEqual("1275", state.Output);
    }

    [TestMethod]
    public async Task DurableTimer_ResumesTheOrchestration_NoEarlierThanItsFireTime()
    {
        OrchestrationInstance instance = await Hub.StartAsync<TimerOrchestration>(Id(), 1);
        OrchestrationState state = await Hub.CompletionAsync(instance);
        Assert.AreEqual(OrchestrationStatus.Completed, state.OrchestrationStatus);
        DateTime resumedAt = Newtonsoft.Json.JsonConvert.DeserializeObject<DateTime>(state.Output);
        Assert.IsTrue(resumedAt >= state.CreatedTime.AddSeconds(1) - TimerEarliness,
            $"resumed at {resumedAt:O}, created {state.CreatedTime:O}");
    }

    [TestMethod]
    public async Task ExternalEvent_RaisedBeforeTheInstanceWaitsForIt_IsDelivered()
    {
        OrchestrationInstance instance = await Hub.StartAsync<ApprovalOrchestration>(Id(), 1);
        await Hub.Client.RaiseEventAsync(instance, "approve", "yes");
        OrchestrationState state = await Hub.CompletionAsync(instance);
        Assert.AreEqual(OrchestrationStatus.Completed, state.OrchestrationStatus);
        Assert.AreEqual("\"yes\"", state.Output);
    }

    [TestMethod]
    public async Task ScheduledStart_RunsNoEarlierThanItsTime_AndKeepsAnEventRaisedBeforeIt()
    {
        DateTime startAt = DateTime.UtcNow.AddSeconds(2);
        OrchestrationInstance instance = await Hub.Client.CreateScheduledOrchestrationInstanceAsync(typeof(ApprovalOrchestration), Id(), 1, startAt);
        if (!KeepsEventsRaisedBeforeAScheduledStart) await StatusAsync(instance, OrchestrationStatus.Running);
        await Hub.Client.RaiseEventAsync(instance, "approve", "early");
        OrchestrationState state = await Hub.CompletionAsync(instance);
        Assert.AreEqual("\"early\"", state.Output);
        string history = await Hub.Client.GetOrchestrationHistoryAsync(instance);
        DateTime firstEpisode = Newtonsoft.Json.Linq.JArray.Parse(history)
            .Where(e => (DurableTask.Core.History.EventType)(int)e["EventType"]! == DurableTask.Core.History.EventType.OrchestratorStarted)
            .Select(e => (DateTime)e["Timestamp"]!)
            .Select(t => t.Kind == DateTimeKind.Local ? t.ToUniversalTime() : DateTime.SpecifyKind(t, DateTimeKind.Utc))
            .Min();
        Assert.IsTrue(firstEpisode >= startAt - TimerEarliness,
            $"first episode at {firstEpisode:O}, scheduled for {startAt:O}");
    }

    [TestMethod]
    public async Task SubOrchestration_ItsResultReachesTheParent()
    {
        string id = Id();
        OrchestrationInstance instance = await Hub.StartAsync<ParentOrchestration>(id, 3);
        OrchestrationState state = await Hub.CompletionAsync(instance);
        Assert.AreEqual("103", state.Output);
        OrchestrationState? child = await Hub.Client.GetOrchestrationStateAsync($"{id}-child");
        Assert.AreEqual(OrchestrationStatus.Completed, child?.OrchestrationStatus);
        Assert.AreEqual(id, child?.ParentInstance?.OrchestrationInstance.InstanceId);
    }

    [TestMethod]
    public async Task ContinueAsNew_RunsNewExecutions_UntilTheLastCompletes()
    {
        OrchestrationInstance instance = await Hub.StartAsync<CounterOrchestration>(Id(), 0);
        OrchestrationState state = await Hub.CompletionAsync(instance);
        Assert.AreEqual(OrchestrationStatus.Completed, state.OrchestrationStatus);
        Assert.AreEqual("3", state.Output);
        Assert.AreNotEqual(instance.ExecutionId, state.OrchestrationInstance.ExecutionId);
    }

    [TestMethod]
    public async Task Terminate_EndsAWaitingInstance_AsTerminated()
    {
        OrchestrationInstance instance = await Hub.StartAsync<ApprovalOrchestration>(Id(), 1);
        await Hub.Client.TerminateInstanceAsync(instance, "enough");
        OrchestrationState state = await Hub.CompletionAsync(instance);
        Assert.AreEqual(OrchestrationStatus.Terminated, state.OrchestrationStatus);
    }

    [TestMethod]
    public async Task SuspendThenResume_HoldsTheInstance_ThenLetsItFinish()
    {
        OrchestrationInstance instance = await Hub.StartAsync<ApprovalOrchestration>(Id(), 1);
        await Hub.Client.SuspendInstanceAsync(instance, "hold");
        await StatusAsync(instance, OrchestrationStatus.Suspended);
        await Hub.Client.ResumeInstanceAsync(instance, "go");
        await StatusAsync(instance, OrchestrationStatus.Running);
        await Hub.Client.RaiseEventAsync(instance, "approve", "resumed");
        OrchestrationState state = await Hub.CompletionAsync(instance);
        Assert.AreEqual("\"resumed\"", state.Output);
    }

    [TestMethod]
    public async Task History_ListsTheExecutionsEvents_InOrder()
    {
        OrchestrationInstance instance = await Hub.StartAsync<SequenceOrchestration>(Id(), 2);
        await Hub.CompletionAsync(instance);
        string json = await Hub.Client.GetOrchestrationHistoryAsync(instance);

        // Providers differ in how they write the list (with or without type names); every event has its EventType.
        var types = Newtonsoft.Json.Linq.JArray.Parse(json)
            .Select(e => (DurableTask.Core.History.EventType)(int)e["EventType"]!)
            .Where(t => t is not (DurableTask.Core.History.EventType.OrchestratorStarted or DurableTask.Core.History.EventType.OrchestratorCompleted))
            .ToList();
        CollectionAssert.AreEqual(
            new[]
            {
                DurableTask.Core.History.EventType.ExecutionStarted, DurableTask.Core.History.EventType.TaskScheduled,
                DurableTask.Core.History.EventType.TaskCompleted, DurableTask.Core.History.EventType.TaskScheduled,
                DurableTask.Core.History.EventType.TaskCompleted, DurableTask.Core.History.EventType.ExecutionCompleted,
            },
            types);
    }

    [TestMethod]
    public async Task DuplicateStart_OfAnActiveInstance_IsRefused()
    {
        string id = Id();
        OrchestrationInstance first = await Hub.StartAsync<ApprovalOrchestration>(id, 1);
        await Assert.ThrowsExactlyAsync<OrchestrationAlreadyExistsException>(() => Hub.Client.CreateOrchestrationInstanceAsync(
            typeof(ApprovalOrchestration), id, 1,
            [OrchestrationStatus.Pending, OrchestrationStatus.Running, OrchestrationStatus.Suspended]));
        Assert.AreEqual(first.ExecutionId,
            (await Hub.Client.GetOrchestrationStateAsync(id))?.OrchestrationInstance.ExecutionId);
    }

    [TestMethod]
    public async Task Start_OfAFinishedInstanceId_ReplacesIt()
    {
        string id = Id();
        OrchestrationInstance first = await Hub.StartAsync<SequenceOrchestration>(id, 1);
        await Hub.CompletionAsync(first);
        OrchestrationInstance second = await Hub.StartAsync<SequenceOrchestration>(id, 2);
        OrchestrationState state = await Hub.CompletionAsync(second);
        Assert.AreEqual("2", state.Output);
        Assert.AreEqual(second.ExecutionId, state.OrchestrationInstance.ExecutionId);
    }

    [TestMethod]
    public async Task Query_FiltersByStatusPrefixAndCreatedTime_AndPagesWithContinuationTokens()
    {
        var query = (IOrchestrationServiceQueryClient)_client!;
        string prefix = Id();
        DateTime before = DateTime.UtcNow.AddSeconds(-1);
        var finished = new List<string>();
        for (int i = 0; i < 5; i++)
        {
            OrchestrationInstance done = await Hub.StartAsync<SequenceOrchestration>($"{prefix}-done-{i}", 1);
            await Hub.CompletionAsync(done);
            finished.Add(done.InstanceId);
        }

        OrchestrationInstance waiting = await Hub.StartAsync<ApprovalOrchestration>($"{prefix}-wait", 1);
        await StatusAsync(waiting, OrchestrationStatus.Running);

        var seen = new List<string>();
        string? token = null;
        int pages = 0;
        do
        {
            OrchestrationQueryResult page = await query.GetOrchestrationWithQueryAsync(new OrchestrationQuery
            {
                InstanceIdPrefix = prefix,
                RuntimeStatus = [OrchestrationStatus.Completed],
                CreatedTimeFrom = before,
                CreatedTimeTo = DateTime.UtcNow.AddMinutes(1),
                PageSize = 2,
                ContinuationToken = token,
            }, CancellationToken.None);
            Assert.IsLessThanOrEqualTo(2, page.OrchestrationState.Count);
            seen.AddRange(page.OrchestrationState.Select(s => s.OrchestrationInstance.InstanceId));
            token = page.ContinuationToken;
            pages++;
        }
        while (token is not null && pages < 10);

        CollectionAssert.AreEquivalent(finished, seen);
        OrchestrationQueryResult running = await query.GetOrchestrationWithQueryAsync(
            new OrchestrationQuery { InstanceIdPrefix = prefix, RuntimeStatus = [OrchestrationStatus.Running] },
            CancellationToken.None);
        Assert.AreEqual(waiting.InstanceId, running.OrchestrationState.Single().OrchestrationInstance.InstanceId);
        OrchestrationQueryResult future = await query.GetOrchestrationWithQueryAsync(
            new OrchestrationQuery { InstanceIdPrefix = prefix, CreatedTimeFrom = DateTime.UtcNow.AddHours(1) },
            CancellationToken.None);
        Assert.IsEmpty(future.OrchestrationState);
    }

    [TestMethod]
    public async Task PurgeById_DeletesAFinishedInstance_AndLeavesAnActiveOne()
    {
        var purge = (IOrchestrationServicePurgeClient)_client!;
        OrchestrationInstance done = await Hub.StartAsync<SequenceOrchestration>(Id(), 1);
        await Hub.CompletionAsync(done);
        OrchestrationInstance active = await Hub.StartAsync<ApprovalOrchestration>(Id(), 1);

        Assert.AreEqual(1, (await purge.PurgeInstanceStateAsync(done.InstanceId)).DeletedInstanceCount);
        Assert.IsNull(await Hub.Client.GetOrchestrationStateAsync(done.InstanceId));
        if (PurgeByIdDeletesActiveInstances) return;
        Assert.AreEqual(0, (await purge.PurgeInstanceStateAsync(active.InstanceId)).DeletedInstanceCount);
        Assert.IsNotNull(await Hub.Client.GetOrchestrationStateAsync(active.InstanceId));
    }

    [TestMethod]
    public async Task PurgeByFilter_DeletesFinishedInstancesCreatedInTheRange()
    {
        var purge = (IOrchestrationServicePurgeClient)_client!;
        DateTime from = DateTime.UtcNow.AddSeconds(-1);
        OrchestrationInstance a = await Hub.StartAsync<SequenceOrchestration>(Id(), 1);
        OrchestrationInstance b = await Hub.StartAsync<SequenceOrchestration>(Id(), 1);
        await Hub.CompletionAsync(a);
        await Hub.CompletionAsync(b);

        Assert.AreEqual(0, (await purge.PurgeInstanceStateAsync(new PurgeInstanceFilter(from.AddHours(1), null,
            null))).DeletedInstanceCount);
        PurgeResult result = await purge.PurgeInstanceStateAsync(new PurgeInstanceFilter(from,
            DateTime.UtcNow.AddMinutes(1), [OrchestrationStatus.Completed]));
        Assert.IsGreaterThanOrEqualTo(2, result.DeletedInstanceCount);
        Assert.IsNull(await Hub.Client.GetOrchestrationStateAsync(a.InstanceId));
        Assert.IsNull(await Hub.Client.GetOrchestrationStateAsync(b.InstanceId));
    }

    private string Id() => $"{TestContext.TestName}-{Guid.NewGuid():N}";

    /// <summary>
    /// Waits, bounded, until the instance reports the status (suspend and resume have no completion to wait for).
    /// </summary>
    private async Task StatusAsync(OrchestrationInstance instance, OrchestrationStatus status)
    {
        using var bound = new CancellationTokenSource(TestHub.Wait);
        while (true)
        {
            OrchestrationState? state = await Hub.Client.GetOrchestrationStateAsync(instance.InstanceId);
            if (state?.OrchestrationStatus == status) return;
            if (bound.IsCancellationRequested) Assert.Fail($"{instance.InstanceId} is {state?.OrchestrationStatus}, not {status}.");
            await Task.Delay(20, CancellationToken.None);
        }
    }
}
