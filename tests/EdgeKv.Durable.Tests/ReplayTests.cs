using EdgeKv.Durable.History;

namespace EdgeKv.Durable.Tests;

[TestClass]
public sealed class ReplayTests
{
    [TestMethod]
    public async Task Changed_code_on_replay_fails_the_instance_naming_expected_and_actual_actions()
    {
        string step = "ReserveName";
        await using DurableTestHost host = await DurableTestHost.StartAsync(
            r => r.AddActivityFunc<object?, string>("ReserveName", (_, _) => Task.FromResult("ok"))
                  .AddActivityFunc<object?, string>("CreateVault", (_, _) => Task.FromResult("ok"))
                  .AddOrchestratorFunc<object?, string>("Flow", async (ctx, _) =>
                  {
                      await ctx.CallActivityAsync<string>(step);
                      return await ctx.WaitForExternalEvent<string>("next");
                  }),
            configure: o => o.ExtendedSessionCacheSize = 0); // every episode replays from history

        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Flow");
        await host.Client.WaitForHistoryAsync(id, h => h.OfType<TaskCompletedEvent>().Any());
        step = "CreateVault"; // a deployment changed the orchestrator in place
        await host.Client.RaiseEventAsync(id, "next", "go");
        OrchestrationMetadata done = await host.Client.WaitForInstanceCompletionAsync(id);

        Assert.AreEqual(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.AreEqual(typeof(NonDeterministicOrchestrationException).FullName, done.FailureDetails!.ErrorType);
        StringAssert.Contains(done.FailureDetails.ErrorMessage, "CallActivity('ReserveName')");
        StringAssert.Contains(done.FailureDetails.ErrorMessage, "CallActivity('CreateVault')");
    }

    [TestMethod]
    public async Task Replay_gives_the_same_guids_and_times_and_logs_each_line_once()
    {
        var logged = new List<string>();
        var guids = new List<Guid>();
        await using DurableTestHost host = await DurableTestHost.StartAsync(
            r => r.AddActivityFunc<int, int>("Echo", (_, n) => Task.FromResult(n))
                  .AddOrchestratorFunc<object?, string>("Flow", async (ctx, _) =>
                  {
                      Guid first = ctx.NewGuid();
                      DateTime startedAt = ctx.CurrentUtcDateTime;
                      if (!ctx.IsReplaying) lock (logged) logged.Add("start");
                      for (int i = 0; i < 3; i++) await ctx.CallActivityAsync<int>("Echo", i);
                      lock (guids) guids.Add(first);
                      return $"{first}|{startedAt:o}";
                  }),
            configure: o => o.ExtendedSessionCacheSize = 0);

        OrchestrationMetadata done = await host.RunAsync("Flow");

        Assert.AreEqual(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.AreEqual(1, logged.Count, "code outside replay ran once");
        Assert.AreEqual(guids[0].ToString(), done.ReadOutputAs<string>()!.Split('|')[0]);
        Assert.AreEqual(5, guids[0].ToString()[14] - '0', "a name-based (version 5) GUID");
    }

    [TestMethod]
    public async Task Cached_and_replayed_executions_record_the_same_history()
    {
        static void Register(DurableTaskRegistry r) => r
            .AddActivityFunc<int, int>("Double", (_, n) => Task.FromResult(n * 2))
            .AddOrchestratorFunc<int, int>("Flow", async (ctx, n) =>
            {
                int a = await ctx.CallActivityAsync<int>("Double", n);
                int[] fan = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => ctx.CallActivityAsync<int>("Double", a + i)));
                return fan.Sum();
            });

        await using DurableTestHost cached = await DurableTestHost.StartAsync(Register);
        await using DurableTestHost replayed = await DurableTestHost.StartAsync(Register, configure: o => o.ExtendedSessionCacheSize = 0);

        OrchestrationMetadata a = await cached.RunAsync("Flow", 5);
        OrchestrationMetadata b = await replayed.RunAsync("Flow", 5);

        Assert.AreEqual(2 * (10 + 11 + 12 + 13), a.ReadOutputAs<int>());
        Assert.AreEqual(a.SerializedOutput, b.SerializedOutput);
        static string Shape(IReadOnlyList<HistoryEvent> h) => string.Join(",", h.Where(e => e is not OrchestratorStartedEvent).Select(e => e.EventType));
        Assert.AreEqual(
            Shape(await cached.Client.GetHistoryAsync(a.InstanceId)).Split(',').Order().Aggregate((x, y) => x + y),
            Shape(await replayed.Client.GetHistoryAsync(b.InstanceId)).Split(',').Order().Aggregate((x, y) => x + y));
    }
}
