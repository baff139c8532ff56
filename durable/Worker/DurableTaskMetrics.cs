using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace EdgeKv.Durable;

/// <summary>
/// The runtime's metrics (meter <c>EdgeKv.Durable</c>), for any exporter that listens (OpenTelemetry in the host):
/// instances that finished by name and outcome, activity runs by name and outcome with their duration, and work items
/// that turned poison. Tags carry names and outcomes only, never inputs or outputs.
/// </summary>
public static class DurableTaskMetrics
{
    public const string MeterName = "EdgeKv.Durable";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> InstancesFinished = Meter.CreateCounter<long>(
        "edgekv.durable.orchestrations.finished", "{orchestration}", "Orchestration instances that reached a final state.");

    private static readonly Histogram<double> ActivityDuration = Meter.CreateHistogram<double>(
        "edgekv.durable.activity.duration", "s", "How long activity runs took, by activity and outcome.");

    private static readonly Counter<long> PoisonMessages = Meter.CreateCounter<long>(
        "edgekv.durable.poison_messages", "{work_item}", "Work items failed after being handed out more than maxDequeueCount times.");

    internal static void InstanceFinished(string name, OrchestrationRuntimeStatus status) =>
        InstancesFinished.Add(1, new TagList { { "orchestration", name }, { "status", status.ToString() } });

    internal static void ActivityRan(string name, bool succeeded, TimeSpan elapsed) =>
        ActivityDuration.Record(elapsed.TotalSeconds, new TagList { { "activity", name }, { "outcome", succeeded ? "succeeded" : "failed" } });

    internal static void Poison(string kind, string name) =>
        PoisonMessages.Add(1, new TagList { { "kind", kind }, { "name", name } });
}
