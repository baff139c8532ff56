using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace EdgeKv.Records.Alerts;

/// <summary>
/// Alert metrics (meter <c>EdgeKv</c>): alerts raised and resolved by kind and severity, counted when their change is
/// committed. Operators alert on these instead of polling <c>GET /api/alerts</c>.
/// </summary>
public static class AlertMetrics
{
    public const string MeterName = "EdgeKv";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Changes = Meter.CreateCounter<long>(
        "edgekv.alerts.changes", "{alert}", "Alerts raised and resolved, by kind and severity.");

    internal static void Committed(IEnumerable<AlertChange> changes)
    {
        foreach (AlertChange change in changes)
        {
            if (change.Change == AlertChangeKind.Updated) continue;
            Changes.Add(1, new TagList { { "change", change.Change.ToString() }, { "kind", change.Kind.ToString() },
                { "severity", change.Severity.ToString() } });
        }
    }
}
