using System.Diagnostics;

namespace EdgeKv.Bench;

/// <summary>
/// The three shapes measured the same way for any runner (the SDK through EdgeKv's bridges, or the framework's own task
/// classes): a warm-up of every shape, then each shape three times with the median reported, so one noisy run on a
/// shared machine does not decide.
/// </summary>
internal static class ShapeMeasurement
{
    /// <param name="runOne">Runs one chain (<c>fanOut</c> false) or one fan-out of the given size; returns its elapsed
    /// time.</param>
    /// <param name="runMany">Starts the given number of chains of the given length together; returns the elapsed time
    /// and each one's latency.</param>
    public static async Task<DurableBenchmarkResult> RunAsync(
        string label,
        double rawCommitsPerSecond,
        WorkloadSizes sizes,
        Func<bool, int, Task<TimeSpan>> runOne,
        Func<int, int, Task<(TimeSpan Elapsed, List<TimeSpan> Latencies)>> runMany)
    {
        await WarmUp.RunAsync(async () =>
        {
            await runOne(false, 100);
            await runOne(true, 200);
            await runMany(50, sizes.StepsPerOrchestration);
        });

        (TimeSpan sequential, TimeSpan sequentialCpu) = await MedianAsync(() => runOne(false, sizes.Sequential));
        Console.WriteLine($"[{label}] sequential {sizes.Sequential}: {sequential.TotalSeconds:N2} s");
        (TimeSpan fanOut, TimeSpan fanOutCpu) = await MedianAsync(() => runOne(true, sizes.FanOut));
        Console.WriteLine($"[{label}] fan-out {sizes.FanOut}: {fanOut.TotalSeconds:N2} s");
        var manyRuns = new List<(TimeSpan Elapsed, List<TimeSpan> Latencies, TimeSpan Cpu)>();
        for (int i = 0; i < 3; i++)
        {
            TimeSpan cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            (TimeSpan elapsed, List<TimeSpan> runLatencies) = await runMany(sizes.Orchestrations,
                sizes.StepsPerOrchestration);
            manyRuns.Add((elapsed, runLatencies, Process.GetCurrentProcess().TotalProcessorTime - cpuBefore));
        }

        (TimeSpan many, List<TimeSpan> latencies, TimeSpan manyCpu) = manyRuns.OrderBy(r => r.Elapsed).ElementAt(1);
        Console.WriteLine($"[{label}] {sizes.Orchestrations} x {sizes.StepsPerOrchestration}: {many.TotalSeconds:N2} s");

        latencies.Sort();
        return new DurableBenchmarkResult(
            label,
            rawCommitsPerSecond,
            sizes.Sequential / sequential.TotalSeconds,
            sizes.FanOut / fanOut.TotalSeconds,
            sizes.Orchestrations / many.TotalSeconds,
            sizes.Orchestrations * sizes.StepsPerOrchestration / many.TotalSeconds,
            Percentile(latencies, 0.50),
            Percentile(latencies, 0.99),
            sequentialCpu.TotalMicroseconds / sizes.Sequential,
            fanOutCpu.TotalMicroseconds / sizes.FanOut,
            manyCpu.TotalMicroseconds / sizes.Orchestrations);
    }

    /// <summary>
    /// Runs a measurement three times; returns the median elapsed time and the process CPU time of that run.
    /// </summary>
    private static async Task<(TimeSpan Elapsed, TimeSpan Cpu)> MedianAsync(Func<Task<TimeSpan>> run)
    {
        var runs = new List<(TimeSpan Elapsed, TimeSpan Cpu)>();
        for (int i = 0; i < 3; i++)
        {
            TimeSpan cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            TimeSpan elapsed = await run();
            runs.Add((elapsed, Process.GetCurrentProcess().TotalProcessorTime - cpuBefore));
        }

        return runs.OrderBy(r => r.Elapsed).ElementAt(1);
    }

    private static TimeSpan Percentile(List<TimeSpan> sorted, double p)
        => sorted.Count == 0 ? TimeSpan.Zero : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0,
            sorted.Count - 1)];
}
