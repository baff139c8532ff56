using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace EdgeKv.Activities.Health;

/// <summary>
/// Health-sweep metrics (meter <c>EdgeKv</c>): resources checked per outcome and how long a page of checks took, so a
/// slowing sweep or a growing number of faulty resources shows on a dashboard before anyone opens the alerts.
/// </summary>
public static class SweepMetrics
{
    public const string MeterName = "EdgeKv";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Checked = Meter.CreateCounter<long>(
        "edgekv.sweep.resources_checked", "{resource}", "Vault-integrated resources checked by the health sweep, healthy or with findings.");

    private static readonly Histogram<double> PageDuration = Meter.CreateHistogram<double>(
        "edgekv.sweep.page.duration", "s", "How long one page of health checks took.");

    internal static void PageChecked(int healthy, int faulty, TimeSpan elapsed)
    {
        Checked.Add(healthy, new TagList { { "outcome", "healthy" } });
        Checked.Add(faulty, new TagList { { "outcome", "faulty" } });
        PageDuration.Record(elapsed.TotalSeconds);
    }
}
