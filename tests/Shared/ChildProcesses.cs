using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;

namespace EdgeKv.Tests.Shared;

/// <summary>
/// Starts the processes a test runs (hosts, the emulator, Azurite, node, the device agent, bash sessions) and ends each
/// with every process under it: when the test is done with it, on every path, and at the latest when the test process
/// exits, since a test abandoned at its timeout never reaches its own clean-up. CI also ends the process group of each
/// test run (.ci/run), for a test process that is itself killed.
/// </summary>
public static class ChildProcesses
{
    private static readonly ConcurrentDictionary<Process, byte> Running = new();

    static ChildProcesses() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        foreach (Process process in Running.Keys) Kill(process);
    };

    public static Process Start(ProcessStartInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        Process process = Process.Start(info) ?? throw new InvalidOperationException($"{info.FileName} did not start");
        Running[process] = 0;
        return process;
    }

    /// <summary>SIGKILL to the process and all its descendants, then waits for it to exit (a bound on a hang only).</summary>
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
}
