using EdgeKv.Durable.History;
using EdgeKv.Tests.Shared;

namespace EdgeKv.Durable.Tests;

[TestClass]
public sealed class RetryTests
{
    private static readonly RetryPolicy Backoff = new(maxNumberOfAttempts: 3, firstRetryInterval: TimeSpan.FromSeconds(10), backoffCoefficient: 2);

    [TestMethod]
    public async Task Failed_activity_is_retried_after_durable_timers_that_back_off()
    {
        int calls = 0;
        var clock = new ManualTimeProvider();
        await using DurableTestHost host = await DurableTestHost.StartAsync(
            r => r.AddActivityFunc<object?, string>("Flaky", (_, _) =>
                      Interlocked.Increment(ref calls) < 3 ? throw new InvalidOperationException("transient") : Task.FromResult("done"))
                  .AddOrchestratorFunc<object?, string>("Flow", (ctx, _) => ctx.CallActivityAsync<string>("Flaky", null, TaskOptions.FromRetryPolicy(Backoff))),
            clock);

        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Flow");
        IReadOnlyList<HistoryEvent> h = await host.Client.WaitForHistoryAsync(id, h => h.OfType<TimerCreatedEvent>().Count() == 1);
        Assert.AreEqual(clock.GetUtcNow().UtcDateTime.AddSeconds(10), h.OfType<TimerCreatedEvent>().Single().FireAt);

        clock.Advance(TimeSpan.FromSeconds(10));
        h = await host.Client.WaitForHistoryAsync(id, h => h.OfType<TimerCreatedEvent>().Count() == 2);
        Assert.AreEqual(clock.GetUtcNow().UtcDateTime.AddSeconds(20), h.OfType<TimerCreatedEvent>().Last().FireAt, "second wait doubles");

        clock.Advance(TimeSpan.FromSeconds(20));
        OrchestrationMetadata done = await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true);

        Assert.AreEqual("done", done.ReadOutputAs<string>());
        Assert.AreEqual(3, calls);
    }

    [TestMethod]
    public async Task Exhausted_retries_fail_the_orchestration_with_the_activity_failure()
    {
        var clock = new ManualTimeProvider();
        await using DurableTestHost host = await DurableTestHost.StartAsync(
            r => r.AddActivityFunc<object?, string>("Broken", (_, _) => throw new InvalidOperationException("vault unreachable"))
                  .AddOrchestratorFunc<object?, string>("Flow", (ctx, _) =>
                      ctx.CallActivityAsync<string>("Broken", null, TaskOptions.FromRetryPolicy(new RetryPolicy(2, TimeSpan.FromMinutes(1))))),
            clock);

        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Flow");
        await host.Client.WaitForHistoryAsync(id, h => h.OfType<TimerCreatedEvent>().Any());
        clock.Advance(TimeSpan.FromMinutes(1));
        OrchestrationMetadata done = await host.Client.WaitForInstanceCompletionAsync(id);

        Assert.AreEqual(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.AreEqual(typeof(TaskFailedException).FullName, done.FailureDetails!.ErrorType);
        Assert.AreEqual(typeof(InvalidOperationException).FullName, done.FailureDetails.InnerFailure?.ErrorType);
        StringAssert.Contains(done.FailureDetails.ErrorMessage, "vault unreachable");
    }

    [TestMethod]
    public async Task A_failure_the_policy_does_not_handle_is_not_retried()
    {
        int calls = 0;
        var policy = new RetryPolicy(5, TimeSpan.FromSeconds(1)) { HandleFailure = f => !f.IsCausedBy<ArgumentException>() };
        await using DurableTestHost host = await DurableTestHost.StartAsync(
            r => r.AddActivityFunc<object?, string>("Validate", (_, _) => { Interlocked.Increment(ref calls); throw new ArgumentException("name is invalid"); })
                  .AddOrchestratorFunc<object?, string>("Flow", (ctx, _) => ctx.CallActivityAsync<string>("Validate", null, TaskOptions.FromRetryPolicy(policy))));

        OrchestrationMetadata done = await host.RunAsync("Flow");

        Assert.AreEqual(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.AreEqual(1, calls);
    }

    [TestMethod]
    public async Task Retry_timeout_stops_retrying_once_the_next_wait_would_pass_it()
    {
        int calls = 0;
        var clock = new ManualTimeProvider();
        var policy = new RetryPolicy(10, TimeSpan.FromMinutes(1), backoffCoefficient: 2, retryTimeout: TimeSpan.FromMinutes(2));
        await using DurableTestHost host = await DurableTestHost.StartAsync(
            r => r.AddActivityFunc<object?, string>("Broken", (_, _) => { Interlocked.Increment(ref calls); throw new InvalidOperationException("down"); })
                  .AddOrchestratorFunc<object?, string>("Flow", (ctx, _) => ctx.CallActivityAsync<string>("Broken", null, TaskOptions.FromRetryPolicy(policy))),
            clock);

        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Flow");
        await host.Client.WaitForHistoryAsync(id, h => h.OfType<TimerCreatedEvent>().Any());
        clock.Advance(TimeSpan.FromMinutes(1)); // attempt 2 at +1 min; the next wait (2 min) would end past the 2 min budget
        OrchestrationMetadata done = await host.Client.WaitForInstanceCompletionAsync(id);

        Assert.AreEqual(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.AreEqual(2, calls);
    }

    [TestMethod]
    public void Delays_grow_by_the_coefficient_and_stop_at_the_cap()
    {
        var policy = new RetryPolicy(10, TimeSpan.FromSeconds(5), backoffCoefficient: 3, maxRetryInterval: TimeSpan.FromMinutes(1));

        TimeSpan[] delays = [.. Enumerable.Range(2, 5).Select(policy.DelayBefore)];

        CollectionAssert.AreEqual(
            new[] { TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(45), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1) },
            delays);
    }
}

[TestClass]
public sealed class TaskFailureDetailsTests
{
    [TestMethod]
    public void A_failure_is_caused_by_its_exception_type_its_base_types_and_what_it_wraps()
    {
        var failure = TaskFailureDetails.FromException(new TaskFailedException("Step", 1, TaskFailureDetails.FromException(new RefusedForTestException())));

        Assert.IsTrue(failure.IsCausedBy<TaskFailedException>());
        Assert.IsTrue(failure.IsCausedBy<RefusedForTestException>(), "the wrapped activity failure");
        Assert.IsTrue(failure.IsCausedBy<InvalidOperationException>(), "a base type of the wrapped failure, defined outside the core library");
        Assert.IsFalse(failure.IsCausedBy<ArgumentException>());
    }

    private sealed class RefusedForTestException : InvalidOperationException;
}
