using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace EdgeKv.Tasks;

/// <summary>
/// The local worker's metrics (meter <c>EdgeKv.Durable</c>), for any exporter that listens (OpenTelemetry in the host):
/// instances that finished by name and outcome, activity runs by name and outcome with their duration. Tags carry names
/// and outcomes only, never inputs or outputs.
/// </summary>
public static class DurableTaskMetrics
{
    public const string MeterName = "EdgeKv.Durable";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> InstancesFinished = Meter.CreateCounter<long>(
        "edgekv.durable.orchestrations.finished", "{orchestration}",
        "Orchestration instances that reached a final state.");

    private static readonly Histogram<double> ActivityDuration = Meter.CreateHistogram<double>(
        "edgekv.durable.activity.duration", "s", "How long activity runs took, by activity and outcome.");

    internal static void InstanceFinished(string name, string status) =>
        InstancesFinished.Add(1, new TagList { { "orchestration", name }, { "status", status } });

    internal static void ActivityRan(string name, bool succeeded, TimeSpan elapsed) =>
        ActivityDuration.Record(elapsed.TotalSeconds,
            new TagList { { "activity", name }, { "outcome", succeeded ? "succeeded" : "failed" } });
}
