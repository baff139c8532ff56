using System.Diagnostics;

namespace EdgeKv.Tests.Support;

/// <summary>
/// The crash tests' one harness: a process doing durable work (an EdgeKv host, a worker on the task hub) runs until
/// the moment the test wants it dead, is killed hard (SIGKILL to it and everything under it: no shutdown, no flush,
/// leases left held), and the next process on the same data finishes the work. Every wait is a bound on a hang
/// (minutes), never a timing assertion; the victim is killed on every path, a failed wait included.
/// </summary>
public static class CrashHarness
{
    /// <summary>How long a wait may hang before the test fails: generous, for a busy machine.</summary>
    public static readonly TimeSpan HangBound = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Polls <paramref name="moment"/> until it holds (bounded), then kills with <paramref name="kill"/>.
    /// </summary>
    public static async Task KillWhenAsync(Func<Task> kill, Func<CancellationToken, Task<bool>> moment, string what)
    {
        ArgumentNullException.ThrowIfNull(kill);
        try
        {
            await WaitUntilAsync(moment, what);
        }
        finally
        {
            await kill();
        }
    }

    /// <summary>Reads the victim's standard output until it prints <paramref name="line"/>, then kills it.</summary>
    public static async Task KillAtLineAsync(Process victim, string line)
    {
        ArgumentNullException.ThrowIfNull(victim);
        try
        {
            using var bound = new CancellationTokenSource(HangBound);
            while (await ReadLineAsync(victim, line, bound.Token) is { } read)
            {
                if (read == line) return;
            }

            Assert.Fail($"The process exited before printing '{line}'.");
        }
        finally
        {
            await ChildProcesses.KillAsync(victim);
        }
    }

    /// <summary>Waits (bounded) for the process that finishes the work to exit; answers its standard output.</summary>
    public static async Task<string> FinishAsync(Process survivor, string what)
    {
        ArgumentNullException.ThrowIfNull(survivor);
        using var bound = new CancellationTokenSource(HangBound);
        try
        {
            string output = await survivor.StandardOutput.ReadToEndAsync(bound.Token);
            await survivor.WaitForExitAsync(bound.Token);
            return output;
        }
        catch (OperationCanceledException) when (bound.IsCancellationRequested)
        {
            throw new AssertFailedException($"{what} did not finish within {HangBound}.");
        }
        finally
        {
            await ChildProcesses.KillAsync(survivor);
        }
    }

    /// <summary>
    /// Polls <paramref name="condition"/> until it holds; fails if not within <see cref="HangBound"/>.
    /// </summary>
    public static async Task WaitUntilAsync(Func<CancellationToken, Task<bool>> condition, string what)
    {
        ArgumentNullException.ThrowIfNull(condition);
        using var bound = new CancellationTokenSource(HangBound);
        try
        {
            while (!await condition(bound.Token)) await Task.Delay(50, bound.Token);
        }
        catch (OperationCanceledException) when (bound.IsCancellationRequested)
        {
            throw new AssertFailedException($"{what} did not happen within {HangBound}.");
        }
    }

    private static async Task<string?> ReadLineAsync(Process process, string expected, CancellationToken bound)
    {
        try
        {
            return await process.StandardOutput.ReadLineAsync(bound);
        }
        catch (OperationCanceledException) when (bound.IsCancellationRequested)
        {
            throw new AssertFailedException($"The process did not print '{expected}' within {HangBound}.");
        }
    }
}
