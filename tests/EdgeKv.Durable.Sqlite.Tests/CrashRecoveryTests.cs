using System.Diagnostics;
using DurableTask.Core;
using DurableTask.Core.History;
using EdgeKv.Tests.Support;

namespace EdgeKv.Durable.Sqlite.Tests;

/// <summary>A worker process on the provider killed with SIGKILL mid-chain; a new process finishes the chain.</summary>
[TestClass]
public sealed class CrashRecoveryTests
{
    [TestMethod]
    public async Task RestartedHost_WithTheSameOwnerId_ReleasesItsDeadLeasesAndFinishesTheChain_WithoutWaitingForThem()
    {
        // Leases of ten minutes: only the release at start-up lets the second process finish within the test's bound.
        await KillAndFinishAsync(firstOwner: "edge-host", secondOwner: "edge-host", leaseSeconds: 600);
    }

    [TestMethod]
    public async Task AnotherHost_TakesTheKilledHostsWorkOver_WhenItsLeasesExpire()
    {
        await KillAndFinishAsync(firstOwner: "host-a", secondOwner: "host-b", leaseSeconds: 2);
    }

    private static async Task KillAndFinishAsync(string firstOwner, string secondOwner, int leaseSeconds)
    {
        using var folder = new TempDirectory("edgekv-crash");
        string database = Path.Combine(folder.Path, "data", "hub.db");
        string effects = Path.Combine(folder.Path, "effects");
        Directory.CreateDirectory(effects);

        using (Process first = StartWorker(database, effects, firstOwner, leaseSeconds))
        {
            await CrashHarness.KillAtLineAsync(first, "step 3"); // SIGKILL: no shutdown, leases left held
        }

        using Process second = StartWorker(database, effects, secondOwner, leaseSeconds);
        // A bound on a hang, not a timing assertion: the ten-minute leases are what a missing release would wait for.
        string output = await CrashHarness.FinishAsync(second, "The second worker's chain");

        Assert.AreEqual(0, second.ExitCode, output);
        StringAssert.Contains(output, "finished Completed");
        int[] appended = [.. (await File.ReadAllLinesAsync(Path.Combine(effects, "appended.log"))).Select(int.Parse)];
        int[] marked = [.. (await File.ReadAllLinesAsync(Path.Combine(effects, "marked.log"))).Select(int.Parse)];
        CollectionAssert.AreEquivalent(Enumerable.Range(1, 10).ToArray(), appended.Distinct().ToArray(),
            "every plain step ran at least once");
        CollectionAssert.AreEqual(Enumerable.Range(1, 10).ToArray(), marked,
            "every idempotent step took effect exactly once, in order");

        await using var service = new SqliteOrchestrationService(new SqliteOrchestrationServiceSettings { DatabasePath = database });
        string json = await service.GetOrchestrationHistoryAsync("crash-chain", executionId: null);
        var history = Newtonsoft.Json.JsonConvert.DeserializeObject<List<HistoryEvent>>(
            json, new Newtonsoft.Json.JsonSerializerSettings { TypeNameHandling = Newtonsoft.Json.TypeNameHandling.Objects })!;
        Assert.AreEqual(20, history.OfType<TaskCompletedEvent>().Count(), "one recorded result per scheduled step");
        Assert.AreEqual(20, history.OfType<TaskScheduledEvent>().Select(e => e.EventId).Distinct().Count());
        Assert.AreEqual(OrchestrationStatus.Completed,
            (await service.GetOrchestrationStateAsync("crash-chain", executionId: null))?.OrchestrationStatus);
    }

    private static Process StartWorker(string database, string effects, string owner, int leaseSeconds)
    {
        string assembly = Path.Combine(AppContext.BaseDirectory, "EdgeKv.Durable.Sqlite.CrashHost.dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string arg in new[] { assembly, database, effects, owner,
            leaseSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(arg);
        }

        return ChildProcesses.Start(info);
    }
}
