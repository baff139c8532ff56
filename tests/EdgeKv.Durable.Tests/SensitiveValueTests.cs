namespace EdgeKv.Durable.Tests;

[TestClass]
public sealed class SensitiveValueTests
{
    [TestMethod]
    public async Task A_secret_passed_as_orchestration_input_is_refused()
    {
        await using DurableTestHost host = await DurableTestHost.StartAsync(r => r.AddOrchestratorFunc<object?, string>("Flow", (_, _) => Task.FromResult("x")));

        await Assert.ThrowsExactlyAsync<SensitivePayloadException>(
            () => host.Client.ScheduleNewOrchestrationInstanceAsync("Flow", new { Key = new SensitiveValue("s3cr3t-cik") }));
    }

    [TestMethod]
    public async Task A_secret_returned_by_an_activity_fails_the_step_and_never_reaches_history()
    {
        const string secret = "s3cr3t-cik-value";
        await using DurableTestHost host = await DurableTestHost.StartAsync(r => r
            .AddActivityFunc<object?, SensitiveValue>("Leaky", (_, _) => Task.FromResult(new SensitiveValue(secret)))
            .AddOrchestratorFunc<object?, string>("Flow", async (ctx, _) =>
            {
                await ctx.CallActivityAsync<object?>("Leaky");
                return "leaked";
            }));

        OrchestrationMetadata done = await host.RunAsync("Flow");

        Assert.AreEqual(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        StringAssert.Contains(done.FailureDetails!.ErrorMessage, "SensitiveValue cannot be serialized");
        string history = string.Join("\n", (await host.Client.GetHistoryAsync(done.InstanceId)).Select(History.HistorySerializer.Serialize));
        Assert.IsFalse(history.Contains(secret, StringComparison.Ordinal));
        Assert.AreEqual("***", new SensitiveValue(secret).ToString());
    }
}
