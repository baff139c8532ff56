using System.Globalization;
using System.Text;

namespace EdgeKv.Bench;

/// <summary>Formats the figures as the markdown table kept in tools/bench/README.md.</summary>
internal static class DurableBenchmarkReport
{
    /// <summary>
    /// Throughput of each result over the baseline's (Azure Storage), shape by shape, from the same run.
    /// </summary>
    public static string Ratios(IReadOnlyList<DurableBenchmarkResult> results, DurableBenchmarkResult baseline)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"| over {baseline.Store} | sequential | fan-out | orchestrations |");
        text.AppendLine("| --- | ---: | ---: | ---: |");
        foreach (DurableBenchmarkResult r in results.Where(r => !ReferenceEquals(r, baseline)))
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Store} | {r.SequentialActivitiesPerSecond / baseline.SequentialActivitiesPerSecond:N1}x | {r.FanOutActivitiesPerSecond / baseline.FanOutActivitiesPerSecond:N1}x | {r.OrchestrationsPerSecond / baseline.OrchestrationsPerSecond:N1}x |");
        }

        return text.ToString();
    }

    public static string ToMarkdown(IReadOnlyList<DurableBenchmarkResult> results, WorkloadSizes sizes)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"| measure | {string.Join(" | ", results.Select(r => r.Store))} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| --- | {string.Join(" | ", results.Select(_ => "---"))} |");
        Row("raw durable commits/s (single-row transactions)", r => $"{r.RawCommitsPerSecond:N0}");
        Row($"sequential chain of {sizes.Sequential}: activities/s",
            r => $"{r.SequentialActivitiesPerSecond:N0} ({r.SequentialActivitiesPerSecond / r.RawCommitsPerSecond:P1} of raw)");
        Row($"fan-out/fan-in of {sizes.FanOut}: activities/s",
            r => $"{r.FanOutActivitiesPerSecond:N0} ({r.FanOutActivitiesPerSecond / r.RawCommitsPerSecond:P1} of raw)");
        Row($"{sizes.Orchestrations} concurrent x {sizes.StepsPerOrchestration} steps: orchestrations/s",
            r => $"{r.OrchestrationsPerSecond:N0} ({r.ManyActivitiesPerSecond:N0} activities/s, {r.ManyActivitiesPerSecond / r.RawCommitsPerSecond:P1} of raw)");
        Row("process CPU per activity: sequential / fan-out",
            r => $"{r.SequentialCpuMicrosecondsPerActivity:N0} µs / {r.FanOutCpuMicrosecondsPerActivity:N0} µs");
        Row($"process CPU per orchestration of {sizes.StepsPerOrchestration} steps",
            r => $"{r.ManyCpuMicrosecondsPerOrchestration:N0} µs ({r.ManyCpuMicrosecondsPerOrchestration / sizes.StepsPerOrchestration:N0} µs per activity)");
        Row("start-to-completion latency p50 / p99",
            r => $"{r.LatencyP50.TotalMilliseconds:N0} ms / {r.LatencyP99.TotalMilliseconds:N0} ms");
        return text.ToString();

        void Row(string name, Func<DurableBenchmarkResult, string> cell)
            => text.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {string.Join(" | ", results.Select(cell))} |");
    }
}
