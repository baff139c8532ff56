using DurableTask.Core;
using EdgeKv.Tests.Support;

namespace EdgeKv.Durable.Sqlite.Tests;

/// <summary>Two hosts (each its own service, worker and connection) sharing one database file.</summary>
[TestClass]
public sealed class SharedFileTests
{
    [TestMethod]
    public async Task TwoHostsOnOneFile_FinishEveryInstance_WithEveryResultCountedOnce()
    {
        using var folder = new TempDirectory("edgekv-dtfx");
        string path = Path.Combine(folder.Path, "hub.db");
        await using var first = new SqliteOrchestrationService(new SqliteOrchestrationServiceSettings { DatabasePath = path, OwnerId = "host-1" });
        await using var second = new SqliteOrchestrationService(new SqliteOrchestrationServiceSettings { DatabasePath = path, OwnerId = "host-2" });
        TestHub one = await TestHub.StartAsync(first, first);
        TestHub two = await TestHub.StartAsync(second, second);
        try
        {
            var instances = new List<OrchestrationInstance>();
            for (int i = 0; i < 10; i++)
            {
                instances.Add(await (i % 2 == 0 ? one : two).StartAsync<SequenceOrchestration>($"seq-{i}", 5));
            }

            OrchestrationInstance fanOut = await one.StartAsync<FanOutOrchestration>("fan", 100);
            foreach (OrchestrationInstance instance in instances)
            {
                OrchestrationState state = await two.CompletionAsync(instance);
                Assert.AreEqual("5", state.Output, instance.InstanceId);
            }

            Assert.AreEqual("5050", (await one.CompletionAsync(fanOut)).Output);
        }
        finally
        {
            await one.DisposeAsync();
            await two.DisposeAsync();
        }
    }
}
