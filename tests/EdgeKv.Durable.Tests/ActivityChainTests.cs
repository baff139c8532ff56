using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
namespace EdgeKv.Durable.Tests;

[TestClass]
public sealed class ActivityChainTests
{
    private static void Register(DurableTaskRegistry r) => r
        .AddActivityFunc<string, string>("SayHello", (_, name) => Task.FromResult($"Hello {name}!"))
        .AddOrchestratorFunc<string[], List<string>>("HelloSequence", async (ctx, names) =>
        {
            var greetings = new List<string>();
            foreach (string name in names) greetings.Add(await ctx.CallActivityAsync<string>("SayHello", name));
            return greetings;
        });

    [TestMethod]
    public async Task Sequence_of_activities_completes_with_each_result_in_order()
    {
        await using DurableTestHost host = await DurableTestHost.StartAsync(Register);

        OrchestrationMetadata done = await host.RunAsync("HelloSequence", new[] { "Tokyo", "Seattle", "London" });

        Assert.AreEqual(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        CollectionAssert.AreEqual(new[] { "Hello Tokyo!", "Hello Seattle!", "Hello London!" },
            done.ReadOutputAs<string[]>());
    }

}
