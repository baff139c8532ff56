using DurableTask.Core;
using DurableTask.Core.Exceptions;
using EdgeKv.Tests.Support;

namespace EdgeKv.Durable.Sqlite.Tests;

/// <summary>Extended sessions: an episode runs only the new events instead of replaying the whole history.</summary>
[TestClass]
public sealed class ExtendedSessionTests
{
    private const int Steps = 20;

    [TestMethod]
    public async Task WithSessions_ASequenceRunsFromTheStartOnce()
    {
        int runs = await RunSequenceAsync(extendedSessions: true);
        Assert.AreEqual(1, runs);
    }

    [TestMethod]
    public async Task WithoutSessions_ASequenceReplaysItsHistoryEveryStep()
    {
        int runs = await RunSequenceAsync(extendedSessions: false);
        Assert.AreEqual(Steps + 1, runs);
    }

    [TestMethod]
    public async Task SessionWhoseLeaseWasTakenOver_IsAborted()
    {
        using var folder = new TempDirectory("edgekv-dtfx");
        string path = Path.Combine(folder.Path, "hub.db");
        await using var first = new SqliteOrchestrationService(new SqliteOrchestrationServiceSettings { DatabasePath = path, OwnerId = "first" });
        await using var second = new SqliteOrchestrationService(new SqliteOrchestrationServiceSettings { DatabasePath = path, OwnerId = "second" });
        await first.StartAsync();
        await second.StartAsync();
        await new TaskHubClient(first).CreateOrchestrationInstanceAsync("Test", "", "taken", null);
        TaskOrchestrationWorkItem held = (await first.LockNextTaskOrchestrationWorkItemAsync(TestHub.Wait,
            CancellationToken.None))!;
        Assert.IsNotNull(held.Session);

        await second.ReleaseLeasesOfOwnerAsync("first");
        Assert.IsNotNull(await second.LockNextTaskOrchestrationWorkItemAsync(TestHub.Wait, CancellationToken.None));
        await Assert.ThrowsExactlyAsync<SessionAbortedException>(() => held.Session.FetchNewOrchestrationMessagesAsync(held));
    }

    private static async Task<int> RunSequenceAsync(bool extendedSessions)
    {
        using var folder = new TempDirectory("edgekv-dtfx");
        await using var service = new SqliteOrchestrationService(new SqliteOrchestrationServiceSettings
        {
            DatabasePath = Path.Combine(folder.Path, "hub.db"),
            ExtendedSessionsEnabled = extendedSessions,
        });
        TestHub hub = await TestHub.StartAsync(service, service);
        try
        {
            string id = $"session-{extendedSessions}-{Guid.NewGuid():N}";
            OrchestrationInstance instance = await hub.StartAsync<CountingSequenceOrchestration>(id, Steps);
            OrchestrationState state = await hub.CompletionAsync(instance);
            Assert.AreEqual(Steps.ToString(System.Globalization.CultureInfo.InvariantCulture), state.Output);
            return CountingSequenceOrchestration.Runs[id];
        }
        finally
        {
            await hub.DisposeAsync();
        }
    }
}
