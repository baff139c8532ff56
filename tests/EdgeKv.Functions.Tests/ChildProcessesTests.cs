using System.Diagnostics;
using System.Globalization;
using EdgeKv.Tests.Support;

namespace EdgeKv.Functions.Tests;

/// <summary>What the tests' process harness promises: a process it started ends with everything under it.</summary>
[TestClass]
public sealed class ChildProcessesTests
{
    [TestMethod]
    public async Task Killing_a_started_process_ends_its_children_too()
    {
        if (!OperatingSystem.IsLinux()) Assert.Inconclusive("reads the process tree from /proc");
        var info = new ProcessStartInfo("bash") { UseShellExecute = false, RedirectStandardOutput = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("sleep 300 & sleep 300 & echo started; wait");
        using Process shell = ChildProcesses.Start(info);
        int[] children;
        try
        {
            Assert.AreEqual("started", await shell.StandardOutput.ReadLineAsync());
            children = Children(shell.Id);
            Assert.HasCount(2, children, "the two sleeps");
        }
        finally
        {
            await ChildProcesses.KillAsync(shell);
        }

        Assert.IsTrue(shell.HasExited);
        foreach (int child in children)
        {
            // A killed child is gone, or a zombie until init reaps it: either way it runs no more. SIGKILL is delivered
            // asynchronously, so a busy machine may still show it running for a moment: wait for that, within minutes.
            using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            string? state;
            while ((state = State(child)) is not (null or "Z") && !bound.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), CancellationToken.None);
            }

            Assert.IsTrue(state is null or "Z", $"child {child} is still running ({state})");
        }
    }

    private static int[] Children(int pid) =>
    [
        .. Directory.GetDirectories($"/proc/{pid}/task")
            .SelectMany(task => File.ReadAllText(Path.Combine(task, "children")).Split(' ',
                StringSplitOptions.RemoveEmptyEntries))
            .Select(p => int.Parse(p, CultureInfo.InvariantCulture)),
    ];

    private static string? State(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0];
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return null;
        }
    }
}
