using EdgeKv.Tasks;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace EdgeKv.Durable.Tests;

/// <summary>
/// The runtime's metrics: finished instances by name and status, activity runs by name and outcome, with durations.
/// </summary>
[TestClass]
public sealed class MetricsTests
{
    [TestMethod]
    public async Task Finished_instances_and_activity_runs_are_measured_with_their_names_and_outcomes()
    {
        var measurements = new ConcurrentBag<(string Instrument, double Value, Dictionary<string, string?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == DurableTaskMetrics.MeterName) l.EnableMeasurementEvents(instrument);
        };
        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
            measurements.Add((instrument.Name, value,
                tags.ToArray().ToDictionary(t => t.Key, t => t.Value?.ToString())));
        listener.SetMeasurementEventCallback<long>((i, v, t, _) => Record(i, v, t));
        listener.SetMeasurementEventCallback<double>((i, v, t, _) => Record(i, v, t));
        listener.Start();

        await using DurableTestHost host = await DurableTestHost.StartAsync(r => r
            .AddActivityFunc<int, int>("MetricsStep",
                (_, n) => n < 0 ? throw new InvalidOperationException("negative") : Task.FromResult(n))
            .AddOrchestratorFunc<int, int>("MetricsFlow",
                async (ctx, n) => await ctx.CallActivityAsync<int>("MetricsStep", n)));
        Assert.AreEqual(OrchestrationRuntimeStatus.Completed, (await host.RunAsync("MetricsFlow", 1)).RuntimeStatus);
        Assert.AreEqual(OrchestrationRuntimeStatus.Failed, (await host.RunAsync("MetricsFlow", -1)).RuntimeStatus);

        var mine = measurements.Where(m => m.Tags.ContainsValue("MetricsFlow") || m.Tags.ContainsValue("MetricsStep")).ToList();
        Assert.AreEqual(1, mine.Count(m => m.Instrument == "edgekv.durable.orchestrations.finished" && m.Tags["status"] == "Completed"));
        Assert.AreEqual(1, mine.Count(m => m.Instrument == "edgekv.durable.orchestrations.finished" && m.Tags["status"] == "Failed"));
        var runs = mine.Where(m => m.Instrument == "edgekv.durable.activity.duration").ToList();
        Assert.AreEqual(1, runs.Count(m => m.Tags["outcome"] == "succeeded"));
        Assert.AreEqual(1, runs.Count(m => m.Tags["outcome"] == "failed"));
        Assert.IsTrue(runs.All(m => m.Value >= 0));
        Assert.IsTrue(mine.All(m => m.Tags.Keys.All(k => k is "orchestration" or "status" or "activity" or "outcome")),
            "names and outcomes only");
    }
}
