using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace EdgeKv.Durable.Tests;

[TestClass]
public sealed class TimerAndEventTests
{
    [TestMethod]
    public async Task A_durable_timer_resumes_the_orchestration_no_earlier_than_its_time()
    {
        await using DurableTestHost host = await DurableTestHost.StartAsync(r => r.AddOrchestratorFunc<object?, double>("Nap", async (ctx, _) =>
        {
            DateTime before = ctx.CurrentUtcDateTime;
            await ctx.CreateTimer(TimeSpan.FromSeconds(1), CancellationToken.None);
            return (ctx.CurrentUtcDateTime - before).TotalSeconds;
        }));

        OrchestrationMetadata done = await host.RunAsync("Nap");

        Assert.AreEqual(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.IsTrue(done.ReadOutputAs<double>() >= 0.9, done.SerializedOutput);
    }

    [TestMethod]
    public async Task An_event_raised_to_a_waiting_instance_completes_it()
    {
        await using DurableTestHost host = await DurableTestHost.StartAsync(r => r.AddOrchestratorFunc<object?, string>("Wait", async (ctx, _) =>
            $"got {await ctx.WaitForExternalEvent<string>("Reply")}"));

        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Wait");
        await host.Client.WaitForInstanceStartAsync(id);
        await host.Client.RaiseEventAsync(id, "Reply", "yes");

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        OrchestrationMetadata done = await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true,
            timeout.Token);
        Assert.AreEqual("got yes", done.ReadOutputAs<string>());
    }

    [TestMethod]
    public async Task A_wait_with_a_timeout_gives_up_on_its_durable_timer()
    {
        await using DurableTestHost host = await DurableTestHost.StartAsync(r => r.AddOrchestratorFunc<object?, string>("Wait", async (ctx, _) =>
        {
            try
            {
                return await ctx.WaitForExternalEvent<string>("Reply", TimeSpan.FromSeconds(1));
            }
            catch (TaskCanceledException)
            {
                return "timed out";
            }
        }));

        OrchestrationMetadata done = await host.RunAsync("Wait");

        Assert.AreEqual("timed out", done.ReadOutputAs<string>());
    }
}
