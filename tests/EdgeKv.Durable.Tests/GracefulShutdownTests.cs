using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using EdgeKv.Tests.Support;

namespace EdgeKv.Durable.Tests;

[TestClass]
public sealed class GracefulShutdownTests
{
    [TestMethod]
    public async Task Stopping_the_host_lets_a_running_activity_finish_and_keeps_its_result()
    {
        using var folder = new TempDirectory("shutdown");
        int runs = 0;
        var running = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        void Register(DurableTaskRegistry r) => r
            .AddActivityFunc<object?, string>("Slow", async (_, _) =>
            {
                Interlocked.Increment(ref runs);
                running.TrySetResult();
                await release.Task;
                return "finished";
            })
            .AddOrchestratorFunc<object?, string>("Flow", (ctx, _) => ctx.CallActivityAsync<string>("Slow"));

        // A long lease: an orchestration left leased by the stopped host would block the second one past the test's
        // timeout.
        var settings = new Dictionary<string, string?> { ["EdgeKv:TaskHub:WorkItemLease"] = "00:10:00" };
        DurableTestHost first = await DurableTestHost.StartAsync(Register, settings, dataPath: folder.Path);
        await first.Client.ScheduleNewOrchestrationInstanceAsync("Flow", null,
            new StartOrchestrationOptions("graceful"));
        await running.Task.WaitAsync(TimeSpan.FromMinutes(3));
        Task stopping = first.DisposeAsync().AsTask();
        Assert.IsFalse(stopping.IsCompleted, "shutdown waits for the in-flight activity");
        release.SetResult();
        await stopping;

        await using DurableTestHost second = await DurableTestHost.StartAsync(Register, settings,
            dataPath: folder.Path);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        OrchestrationMetadata done = await second.Client.WaitForInstanceCompletionAsync("graceful",
            getInputsAndOutputs: true, timeout.Token);

        Assert.AreEqual("finished", done.ReadOutputAs<string>());
        Assert.AreEqual(1, runs, "the result recorded at shutdown was used; the activity did not run again");
    }
}
