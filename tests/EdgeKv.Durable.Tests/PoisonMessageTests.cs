using EdgeKv.Tests.Shared;

namespace EdgeKv.Durable.Tests;

[TestClass]
public sealed class PoisonMessageTests
{
    [TestMethod]
    public async Task An_activity_interrupted_more_than_the_dequeue_limit_fails_with_the_reason()
    {
        using var folder = new TempDirectory("poison");
        var started = new SemaphoreSlim(0);
        void Register(DurableTaskRegistry r) => r
            .AddActivityFunc<object?, string>("Hang", async (ctx, _) =>
            {
                started.Release();
                await Task.Delay(Timeout.Infinite, ctx.CancellationToken); // interrupted by every shutdown
                return "never";
            })
            .AddOrchestratorFunc<object?, string>("Flow", (ctx, _) => ctx.CallActivityAsync<string>("Hang"));
        void Configure(DurableTaskOptions o)
        {
            o.MaxDequeueCount = 2;
            o.ShutdownGracePeriod = TimeSpan.Zero;
        }

        for (int run = 0; run < 2; run++)
        {
            await using DurableTestHost host = await DurableTestHost.StartAsync(Register, configure: Configure, dataPath: folder.Path);
            if (run == 0) await host.Client.ScheduleNewOrchestrationInstanceAsync("Flow", null, new StartOrchestrationOptions("poisoned"));
            Assert.IsTrue(await started.WaitAsync(TimeSpan.FromSeconds(30)));
        }

        await using DurableTestHost last = await DurableTestHost.StartAsync(Register, configure: Configure, dataPath: folder.Path);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        OrchestrationMetadata done = await last.Client.WaitForInstanceCompletionAsync("poisoned", cancellationToken: timeout.Token);

        Assert.AreEqual(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.AreEqual("PoisonMessage", done.FailureDetails!.InnerFailure?.ErrorType);
        StringAssert.Contains(done.FailureDetails.ErrorMessage, "handed out 3 times");
    }
}
