using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace EdgeKv.Durable.Tests;

[TestClass]
public sealed class ContinueAsNewTests
{
    [TestMethod]
    public async Task Each_generation_starts_with_new_input_and_an_empty_history()
    {
        await using DurableTestHost host = await DurableTestHost.StartAsync(
            r => r.AddActivityFunc<int, int>("Next", (_, n) => Task.FromResult(n + 1))
                  .AddOrchestratorFunc<int, int>("Counter", async (ctx, n) =>
                  {
                      int next = await ctx.CallActivityAsync<int>("Next", n);
                      if (next < 5)
                      {
                          ctx.ContinueAsNew(next);
                          return -1;
                      }

                      return next;
                  }));

        OrchestrationMetadata done = await host.RunAsync("Counter", 0);

        Assert.AreEqual(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.AreEqual(5, done.ReadOutputAs<int>());
        Assert.AreEqual(4, done.ReadInputAs<int>(), "the last generation's input");
    }

    [TestMethod]
    public async Task Events_not_yet_consumed_are_carried_into_the_next_generation()
    {
        await using DurableTestHost host = await DurableTestHost.StartAsync(
            r => r.AddOrchestratorFunc<List<int>, List<int>>("Collect", async (ctx, items) =>
            {
                items.Add(await ctx.WaitForExternalEvent<int>("Item"));
                if (items.Count < 3)
                {
                    ctx.ContinueAsNew(items);
                }

                return items;
            }));

        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Collect", new List<int>());
        await host.Client.RaiseEventAsync(id, "Item", 1);
        await host.Client.RaiseEventAsync(id, "Item", 2);
        await host.Client.RaiseEventAsync(id, "Item", 3);

        OrchestrationMetadata done = await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true);
        CollectionAssert.AreEqual(new[] { 1, 2, 3 }, done.ReadOutputAs<int[]>());
    }
}
