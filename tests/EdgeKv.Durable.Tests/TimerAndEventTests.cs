using EdgeKv.Durable.History;
using EdgeKv.Tests.Shared;

namespace EdgeKv.Durable.Tests;

[TestClass]
public sealed class TimerAndEventTests
{
    [TestMethod]
    public async Task Durable_timer_fires_only_when_its_time_comes()
    {
        var clock = new ManualTimeProvider();
        DateTime start = clock.GetUtcNow().UtcDateTime;
        await using DurableTestHost host = await DurableTestHost.StartAsync(
            r => r.AddOrchestratorFunc<object?, DateTime>("Wait", async (ctx, _) =>
            {
                await ctx.CreateTimer(TimeSpan.FromHours(1), CancellationToken.None);
                return ctx.CurrentUtcDateTime;
            }),
            clock);

        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Wait");
        await host.Client.WaitForHistoryAsync(id, h => h.OfType<TimerCreatedEvent>().Any());
        clock.Advance(TimeSpan.FromMinutes(59));
        Assert.AreEqual(OrchestrationRuntimeStatus.Running, (await host.Client.GetInstanceAsync(id))!.RuntimeStatus);

        clock.Advance(TimeSpan.FromMinutes(1));
        OrchestrationMetadata done = await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true);

        Assert.AreEqual(start.AddHours(1), done.ReadOutputAs<DateTime>());
    }

    [TestMethod]
    public async Task Absolute_timer_on_the_real_clock_fires()
    {
        await using DurableTestHost host = await DurableTestHost.StartAsync(
            r => r.AddOrchestratorFunc<object?, string>("Wait", async (ctx, _) =>
            {
                await ctx.CreateTimer(ctx.CurrentUtcDateTime.AddMilliseconds(200), CancellationToken.None);
                return "fired";
            }));

        OrchestrationMetadata done = await host.RunAsync("Wait");

        Assert.AreEqual("fired", done.ReadOutputAs<string>());
        Assert.IsTrue(done.LastUpdatedAt - done.CreatedAt >= TimeSpan.FromMilliseconds(200));
    }

    [TestMethod]
    public async Task Event_raised_before_the_wait_is_buffered_and_names_ignore_case()
    {
        var clock = new ManualTimeProvider();
        await using DurableTestHost host = await DurableTestHost.StartAsync(
            r => r.AddOrchestratorFunc<object?, string>("Approve", async (ctx, _) =>
            {
                await ctx.CreateTimer(TimeSpan.FromMinutes(1), CancellationToken.None);
                return await ctx.WaitForExternalEvent<string>("Approval");
            }),
            clock);

        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Approve");
        await host.Client.WaitForHistoryAsync(id, h => h.OfType<TimerCreatedEvent>().Any());
        Assert.IsTrue(await host.Client.RaiseEventAsync(id, "APPROVAL", "yes"));
        await host.Client.WaitForHistoryAsync(id, h => h.OfType<EventRaisedEvent>().Any());
        clock.Advance(TimeSpan.FromMinutes(1));

        OrchestrationMetadata done = await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true);
        Assert.AreEqual("yes", done.ReadOutputAs<string>());
    }

    [TestMethod]
    public async Task Event_raised_after_the_wait_started_completes_it()
    {
        await using DurableTestHost host = await DurableTestHost.StartAsync(
            r => r.AddOrchestratorFunc<object?, int>("Wait", (ctx, _) => ctx.WaitForExternalEvent<int>("Answer")));

        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Wait");
        await host.Client.WaitForInstanceStateAsync(id, m => m.RuntimeStatus == OrchestrationRuntimeStatus.Running);
        await host.Client.RaiseEventAsync(id, "answer", 42);

        OrchestrationMetadata done = await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true);
        Assert.AreEqual(42, done.ReadOutputAs<int>());
    }

    [TestMethod]
    public async Task Wait_with_timeout_gives_up_and_a_later_event_goes_to_the_next_wait()
    {
        var clock = new ManualTimeProvider();
        await using DurableTestHost host = await DurableTestHost.StartAsync(
            r => r.AddOrchestratorFunc<object?, string>("Wait", async (ctx, _) =>
            {
                string first;
                try
                {
                    first = await ctx.WaitForExternalEvent<string>("Reply", TimeSpan.FromMinutes(5));
                }
                catch (TaskCanceledException)
                {
                    first = "timed out";
                }

                string second = await ctx.WaitForExternalEvent<string>("Reply");
                return $"{first}, then {second}";
            }),
            clock);

        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Wait");
        await host.Client.WaitForHistoryAsync(id, h => h.OfType<TimerCreatedEvent>().Any());
        clock.Advance(TimeSpan.FromMinutes(5));
        await host.Client.WaitForHistoryAsync(id, h => h.OfType<TimerFiredEvent>().Any());
        await host.Client.RaiseEventAsync(id, "Reply", "late answer");

        OrchestrationMetadata done = await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true);
        Assert.AreEqual("timed out, then late answer", done.ReadOutputAs<string>());
    }

    [TestMethod]
    public async Task Raising_an_event_to_an_unknown_instance_reports_it()
    {
        await using DurableTestHost host = await DurableTestHost.StartAsync(r => r.AddOrchestratorFunc<object?, int>("Wait", (ctx, _) => ctx.WaitForExternalEvent<int>("x")));

        Assert.IsFalse(await host.Client.RaiseEventAsync("no-such-instance", "x", 1));
    }
}
