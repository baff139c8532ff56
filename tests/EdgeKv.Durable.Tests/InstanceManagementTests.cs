using EdgeKv.Durable.Storage;

namespace EdgeKv.Durable.Tests;

[TestClass]
public sealed class InstanceManagementTests
{
    private static void Register(DurableTaskRegistry r) => r
        .AddOrchestratorFunc<object?, string>("Waiter", (ctx, _) => ctx.WaitForExternalEvent<string>("Go"))
        .AddOrchestratorFunc<object?, string>("Quick", (_, _) => Task.FromResult("done"));

    [TestMethod]
    public async Task Starting_an_id_that_is_running_is_refused_and_nothing_is_duplicated()
    {
        await using DurableTestHost host = await DurableTestHost.StartAsync(Register);

        await host.Client.ScheduleNewOrchestrationInstanceAsync("Waiter", null, new StartOrchestrationOptions("dup"));
        await Assert.ThrowsExactlyAsync<OrchestrationInstanceExistsException>(
            () => host.Client.ScheduleNewOrchestrationInstanceAsync("Waiter", null, new StartOrchestrationOptions("dup")));

        (IReadOnlyList<OrchestrationMetadata> all, _) = await host.Client.QueryInstancesAsync(new InstanceQuery { InstanceIdPrefix = "dup" });
        Assert.AreEqual(1, all.Count);
    }

    [TestMethod]
    public async Task A_finished_id_can_be_started_again()
    {
        await using DurableTestHost host = await DurableTestHost.StartAsync(Register);

        await host.RunAsync("Quick", instanceId: "again");
        OrchestrationMetadata second = await host.RunAsync("Quick", instanceId: "again");

        Assert.AreEqual(OrchestrationRuntimeStatus.Completed, second.RuntimeStatus);
    }

    [TestMethod]
    public async Task Terminate_ends_a_waiting_instance_with_the_reason_as_output()
    {
        await using DurableTestHost host = await DurableTestHost.StartAsync(Register);
        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Waiter");
        await host.Client.WaitForInstanceStateAsync(id, m => m.RuntimeStatus == OrchestrationRuntimeStatus.Running);

        await host.Client.TerminateInstanceAsync(id, "operator cancelled");
        OrchestrationMetadata done = await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true);

        Assert.AreEqual(OrchestrationRuntimeStatus.Terminated, done.RuntimeStatus);
        Assert.AreEqual("operator cancelled", done.ReadOutputAs<string>());
    }

    [TestMethod]
    public async Task Suspended_instance_holds_its_events_until_resumed()
    {
        await using DurableTestHost host = await DurableTestHost.StartAsync(Register);
        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Waiter");
        await host.Client.WaitForInstanceStateAsync(id, m => m.RuntimeStatus == OrchestrationRuntimeStatus.Running);

        await host.Client.SuspendInstanceAsync(id, "maintenance");
        await host.Client.WaitForInstanceStateAsync(id, m => m.RuntimeStatus == OrchestrationRuntimeStatus.Suspended);
        await host.Client.RaiseEventAsync(id, "Go", "payload");
        await host.Client.WaitForHistoryAsync(id, h => h.OfType<History.EventRaisedEvent>().Any());
        Assert.AreEqual(OrchestrationRuntimeStatus.Suspended, (await host.Client.GetInstanceAsync(id))!.RuntimeStatus);

        await host.Client.ResumeInstanceAsync(id, "done");
        OrchestrationMetadata done = await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true);

        Assert.AreEqual(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.AreEqual("payload", done.ReadOutputAs<string>());
    }

    [TestMethod]
    public async Task Purge_deletes_finished_instances_only()
    {
        await using DurableTestHost host = await DurableTestHost.StartAsync(Register);
        string running = await host.Client.ScheduleNewOrchestrationInstanceAsync("Waiter");
        OrchestrationMetadata done = await host.RunAsync("Quick");

        Assert.AreEqual(0, await host.Client.PurgeInstanceAsync(running));
        Assert.AreEqual(1, await host.Client.PurgeInstanceAsync(done.InstanceId));
        Assert.IsNull(await host.Client.GetInstanceAsync(done.InstanceId));
        Assert.AreEqual(0, (await host.Client.GetHistoryAsync(done.InstanceId)).Count);
        Assert.IsNotNull(await host.Client.GetInstanceAsync(running));
    }

    [TestMethod]
    public async Task Purge_by_filter_removes_matching_finished_instances()
    {
        await using DurableTestHost host = await DurableTestHost.StartAsync(Register);
        for (int i = 0; i < 3; i++) await host.RunAsync("Quick");
        string running = await host.Client.ScheduleNewOrchestrationInstanceAsync("Waiter");

        int purged = await host.Client.PurgeAllInstancesAsync(new PurgeFilter(Statuses: [OrchestrationRuntimeStatus.Completed]));

        Assert.AreEqual(3, purged);
        (IReadOnlyList<OrchestrationMetadata> left, _) = await host.Client.QueryInstancesAsync(new InstanceQuery());
        Assert.AreEqual(running, left.Single().InstanceId);
    }

    [TestMethod]
    public async Task Query_filters_by_prefix_and_status_and_pages_with_a_continuation_token()
    {
        await using DurableTestHost host = await DurableTestHost.StartAsync(Register);
        for (int i = 0; i < 5; i++) await host.RunAsync("Quick", instanceId: $"q-{i}");
        await host.RunAsync("Quick", instanceId: "other");
        await host.Client.ScheduleNewOrchestrationInstanceAsync("Waiter", null, new StartOrchestrationOptions("q-running"));

        var seen = new List<string>();
        string? token = null;
        int pages = 0;
        do
        {
            (IReadOnlyList<OrchestrationMetadata> page, token) = await host.Client.QueryInstancesAsync(new InstanceQuery
            {
                InstanceIdPrefix = "q-",
                Statuses = [OrchestrationRuntimeStatus.Completed],
                PageSize = 2,
                ContinuationToken = token,
            });
            seen.AddRange(page.Select(m => m.InstanceId));
            pages++;
        }
        while (token is not null);

        CollectionAssert.AreEquivalent(new[] { "q-0", "q-1", "q-2", "q-3", "q-4" }, seen);
        Assert.AreEqual(3, pages);
    }

    [TestMethod]
    public async Task Bad_arguments_are_refused_before_anything_is_stored()
    {
        await using DurableTestHost host = await DurableTestHost.StartAsync(Register);

        await Assert.ThrowsExactlyAsync<ArgumentException>(() => host.Client.ScheduleNewOrchestrationInstanceAsync("NoSuchOrchestrator"));
        await Assert.ThrowsExactlyAsync<ArgumentException>(() => host.Client.ScheduleNewOrchestrationInstanceAsync("Quick", null, new StartOrchestrationOptions("a/b")));
        await Assert.ThrowsExactlyAsync<ArgumentException>(() => host.Client.QueryInstancesAsync(new InstanceQuery { ContinuationToken = "not-a-token" }));
        (IReadOnlyList<OrchestrationMetadata> all, _) = await host.Client.QueryInstancesAsync(new InstanceQuery());
        Assert.AreEqual(0, all.Count);
    }

    [TestMethod]
    public async Task Restart_runs_a_finished_instance_again_with_its_input()
    {
        await using DurableTestHost host = await DurableTestHost.StartAsync(Register);
        OrchestrationMetadata first = await host.RunAsync("Quick", "input-1");

        string newId = await host.Client.RestartAsync(first.InstanceId, restartWithNewInstanceId: true);
        OrchestrationMetadata second = await host.Client.WaitForInstanceCompletionAsync(newId, getInputsAndOutputs: true);

        Assert.AreNotEqual(first.InstanceId, newId);
        Assert.AreEqual("input-1", second.ReadInputAs<string>());
    }
}
