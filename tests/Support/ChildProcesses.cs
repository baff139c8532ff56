using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace EdgeKv.Tests.Support;

/// <summary>
/// Starts the processes a test runs (hosts, the emulator, Azurite, node, the device agent, bash sessions) and ends each
/// with every process under it: when the test is done with it, on every path, and at the latest when the test process
/// exits, since a test abandoned at its timeout never reaches its own clean-up. CI also ends whatever its run left
/// (.ci/run), for a test process that is itself killed.
/// </summary>
public static class ChildProcesses
{
    private const int SigKill = 9;

    /// <summary>
    /// Each running child with its start time in /proc, so a reused process id is never mistaken for it.
    /// </summary>
    private static readonly ConcurrentDictionary<Process, (int Pid, string? Started)> Running = new();

    static ChildProcesses() => AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAllAtExit();

    public static Process Start(ProcessStartInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        Process process = Process.Start(info) ?? throw new InvalidOperationException($"{info.FileName} did not start");
        Running[process] = (process.Id, StartTime(process.Id));
        return process;
    }

    /// <summary>
    /// SIGKILL to the process and all its descendants, then waits for it to exit (a bound on a hang only).
    /// </summary>
    public static async Task KillAsync(Process process)
    {
        ArgumentNullException.ThrowIfNull(process);
        Kill(process);
        using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(bound.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or InvalidOperationException)
        {
            // Gone, or not ours to wait for: it was killed all the same.
        }
    }

    /// <summary>The same without waiting (SIGKILL is not refused), for synchronous clean-up.</summary>
    public static void Kill(Process process)
    {
        ArgumentNullException.ThrowIfNull(process);
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            // It exited meanwhile, or was never started.
        }

        Running.TryRemove(process, out _);
    }

    /// <summary>
    /// At exit the Process class can no longer be relied on (its child-process bookkeeping is shutting down too), so
    /// the trees are read from /proc and signalled directly.
    /// </summary>
    private static void KillAllAtExit()
    {
        if (!OperatingSystem.IsLinux()) return;
        var doomed = new List<int>();
        foreach ((int pid, string? started) in Running.Values)
        {
            if (started is not null && StartTime(pid) == started) Collect(pid, doomed);
        }

        foreach (int pid in doomed) _ = SendSignal(pid, SigKill);
    }

    private static void Collect(int pid, List<int> tree)
    {
        tree.Add(pid);
        try
        {
            foreach (string task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                foreach (string child in File.ReadAllText(Path.Combine(task, "children")).Split(' ',
                    StringSplitOptions.RemoveEmptyEntries))
                {
                    Collect(int.Parse(child, CultureInfo.InvariantCulture), tree);
                }
            }
        }
        catch (IOException)
        {
            // Exited while being read.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>
    /// Field 22 of /proc/PID/stat (after the parenthesised name): when the process started, in clock ticks.
    /// </summary>
    private static string? StartTime(int pid)
    {
        if (!OperatingSystem.IsLinux()) return null;
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return fields.Length > 19 ? fields[19] : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SendSignal(int pid, int signal);
}
