using EdgeKv.Tests.Support;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace EdgeKv.Durable.Tests;

[TestClass]
public sealed class NonDeterminismTests
{
    [TestMethod]
    public async Task Changing_an_orchestrators_code_under_a_running_instance_fails_it_naming_the_mismatch()
    {
        using var folder = new TempDirectory("nondeterminism");
        const string id = "changed-under-me";
        void Version1(DurableTaskRegistry r) => r
            .AddActivityFunc<string, string>("StepAlpha", (_, s) => s)
            .AddActivityFunc<string, string>("StepGamma", (_, s) => s)
            .AddOrchestratorFunc<object?, string>("Flow", async (ctx, _) =>
            {
                await ctx.CallActivityAsync<string>("StepAlpha", "a");
                return await ctx.WaitForExternalEvent<string>("Go");
            });
        void Version2(DurableTaskRegistry r) => r
            .AddActivityFunc<string, string>("StepAlpha", (_, s) => s)
            .AddActivityFunc<string, string>("StepGamma", (_, s) => s)
            .AddOrchestratorFunc<object?, string>("Flow", async (ctx, _) =>
            {
                await ctx.CallActivityAsync<string>("StepGamma", "g"); // the edit: another first step
                return await ctx.WaitForExternalEvent<string>("Go");
            });

        await using (DurableTestHost first = await DurableTestHost.StartAsync(Version1, dataPath: folder.Path))
        {
            await first.Client.ScheduleNewOrchestrationInstanceAsync("Flow", null, new StartOrchestrationOptions(id));
            using var started = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            // The first step's result is in history once the instance waits for its event.
            while (!await first.Services.HistoryHasAsync(id, "TaskCompleted"))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), started.Token);
            }
        }

        await using DurableTestHost second = await DurableTestHost.StartAsync(Version2, dataPath: folder.Path);
        await second.Client.RaiseEventAsync(id, "Go", "now");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        OrchestrationMetadata done = await second.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true,
            timeout.Token);

        Assert.AreEqual(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        StringAssert.Contains(done.FailureDetails!.ErrorType, "NonDeterministic");
        StringAssert.Contains(done.FailureDetails.ErrorMessage, "StepAlpha", done.FailureDetails.ErrorMessage);
    }
}
