using DurableTask.Core;
using EdgeKv.Tests.Support;

namespace EdgeKv.Durable.Sqlite.Tests;

/// <summary>The provider's log event ids are a contract; its logs name instances, never payloads.</summary>
[TestClass]
public sealed class LoggingTests
{
    [TestMethod]
    public async Task Checkpoint_LogsStartingThenCompleted_WithoutPayloads()
    {
        using var folder = new TempDirectory("edgekv-dtfx");
        var logs = new CapturingLoggerFactory();
        await using var service = new SqliteOrchestrationService(
            new SqliteOrchestrationServiceSettings { DatabasePath = Path.Combine(folder.Path, "hub.db") }, logs);
        TestHub hub = await TestHub.StartAsync(service, service);
        try
        {
            OrchestrationInstance instance = await hub.Client.CreateOrchestrationInstanceAsync(typeof(ApprovalOrchestration), "logged", 1);
            await hub.Client.RaiseEventAsync(instance, "approve", "payload-that-must-not-be-logged");
            await hub.CompletionAsync(instance);
        }
        finally
        {
            await hub.DisposeAsync();
        }

        List<(int EventId, string Message)> entries = [.. logs.Entries];
        int[] checkpoints = [.. entries.Select(e => e.EventId).Where(id => id is 3010 or 3011)];
        Assert.IsGreaterThanOrEqualTo(2, checkpoints.Length);
        for (int i = 0; i < checkpoints.Length; i += 2)
        {
            Assert.AreEqual(3010, checkpoints[i], "a checkpoint logs starting first");
            Assert.AreEqual(3011, checkpoints[i + 1], "then completed");
        }

        Assert.IsTrue(entries.Any(e => e.EventId == 3001), "the schema scripts applied are logged");
        Assert.IsFalse(entries.Any(e => e.Message.Contains("payload-that-must-not-be-logged",
            StringComparison.Ordinal)));
    }
}
