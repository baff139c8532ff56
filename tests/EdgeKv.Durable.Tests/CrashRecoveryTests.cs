using System.Diagnostics;
using EdgeKv.Durable.History;
using EdgeKv.Durable.Storage.Sqlite;
using EdgeKv.Tests.Shared;

namespace EdgeKv.Durable.Tests;

[TestClass]
public sealed class CrashRecoveryTests
{
    [TestMethod]
    public async Task A_worker_killed_mid_orchestration_is_replaced_and_the_instance_completes_with_every_side_effect()
    {
        using var folder = new TempDirectory("crash");
        string data = Path.Combine(folder.Path, "data");
        string effects = Path.Combine(folder.Path, "effects");
        Directory.CreateDirectory(effects);

        using (Process first = StartWorker(data, effects))
        {
            await WaitForLineAsync(first, "step 3");
            first.Kill(entireProcessTree: true); // SIGKILL: no shutdown, leases left held
            await first.WaitForExitAsync();
        }

        using Process second = StartWorker(data, effects);
        string output = await second.StandardOutput.ReadToEndAsync();
        await second.WaitForExitAsync();

        Assert.AreEqual(0, second.ExitCode, output);
        StringAssert.Contains(output, "finished Completed");

        int[] appended = [.. (await File.ReadAllLinesAsync(Path.Combine(effects, "appended.log"))).Select(int.Parse)];
        int[] marked = [.. (await File.ReadAllLinesAsync(Path.Combine(effects, "marked.log"))).Select(int.Parse)];
        CollectionAssert.AreEquivalent(Enumerable.Range(1, 10).ToArray(), appended.Distinct().ToArray(), "every plain step ran at least once");
        CollectionAssert.AreEqual(Enumerable.Range(1, 10).ToArray(), marked, "every idempotent step took effect exactly once, in order");

        await using var store = new SqliteOrchestrationStore(new SqliteStoreOptions(Path.Combine(data, "EdgeKvHub.db")), TimeProvider.System);
        await store.InitializeAsync();
        IReadOnlyList<HistoryEvent> history = await store.GetHistoryAsync("crash-chain");
        Assert.AreEqual(20, history.OfType<TaskCompletedEvent>().Count(), "one recorded result per scheduled step");
        Assert.AreEqual(20, history.OfType<TaskScheduledEvent>().Select(e => e.TaskId).Distinct().Count());
    }

    private static Process StartWorker(string data, string effects)
    {
        string assembly = Path.Combine(AppContext.BaseDirectory, "EdgeKv.Durable.CrashHost.dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add(assembly);
        info.ArgumentList.Add(data);
        info.ArgumentList.Add(effects);
        return Process.Start(info)!;
    }

    private static async Task WaitForLineAsync(Process process, string expected)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line == expected) return;
        }

        Assert.Fail($"The worker exited before printing '{expected}'.");
    }
}
