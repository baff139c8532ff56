using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
namespace EdgeKv.Durable.Tests;

[TestClass]
public sealed class SubOrchestrationTests
{
    private static void Register(DurableTaskRegistry r) => r
        .AddActivityFunc<int, int>("Square",
            (_, n) => n < 0 ? throw new ArgumentOutOfRangeException(nameof(n), "negative") : Task.FromResult(n * n))
        .AddOrchestratorFunc<int, int>("Child", (ctx, n) => ctx.CallActivityAsync<int>("Square", n))
        .AddOrchestratorFunc<int[], int>("Parent", async (ctx, numbers) =>
        {
            int[] squares = await Task.WhenAll(numbers.Select((n, i) =>
                ctx.CallSubOrchestratorAsync<int>("Child", n,
                    new SubOrchestrationOptions(instanceId: $"{ctx.InstanceId}-child-{i}"))));
            return squares.Sum();
        })
        .AddOrchestratorFunc<int, string>("Careful", async (ctx, n) =>
        {
            try
            {
                return (await ctx.CallSubOrchestratorAsync<int>("Child",
                    n)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (TaskFailedException ex)
            {
                return $"child failed: {ex.FailureDetails.ErrorType}";
            }
        });

    [TestMethod]
    public async Task Parent_gets_each_child_result_and_children_are_addressable()
    {
        await using DurableTestHost host = await DurableTestHost.StartAsync(Register);

        OrchestrationMetadata done = await host.RunAsync("Parent", new[] { 1, 2, 3 }, instanceId: "parent-1");

        Assert.AreEqual(14, done.ReadOutputAs<int>());
        OrchestrationMetadata? child = await host.Client.GetInstanceAsync("parent-1-child-2",
            getInputsAndOutputs: true);
        Assert.AreEqual(OrchestrationRuntimeStatus.Completed, child!.RuntimeStatus);
        Assert.AreEqual(9, child.ReadOutputAs<int>());
    }

    [TestMethod]
    public async Task Child_failure_reaches_the_parent_as_a_task_failure()
    {
        await using DurableTestHost host = await DurableTestHost.StartAsync(Register);

        OrchestrationMetadata done = await host.RunAsync("Careful", -1);

        Assert.AreEqual(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.AreEqual($"child failed: {typeof(TaskFailedException).FullName}", done.ReadOutputAs<string>());
    }
}
