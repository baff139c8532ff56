using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace EdgeKv.Activities.Health;

/// <summary>
/// Health-sweep metrics (meter <c>EdgeKv</c>): resources checked per outcome, how long a page of checks took and its
/// reads of Azure, so a slowing sweep or a growing number of faulty resources shows on a dashboard before anyone opens
/// the alerts.
/// </summary>
public static class SweepMetrics
{
    public const string MeterName = "EdgeKv";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Checked = Meter.CreateCounter<long>(
        "edgekv.sweep.resources_checked", "{resource}",
        "Vault-integrated resources checked by the health sweep, healthy or with findings.");

    private static readonly Histogram<double> PageDuration = Meter.CreateHistogram<double>(
        "edgekv.sweep.page.duration", "s", "How long one page of health checks took.");

    private static readonly Counter<long> Reads = Meter.CreateCounter<long>(
        "edgekv.sweep.azure_reads", "{request}",
        "Read requests of the health sweep to Azure, by plane (Resource Manager's read budget is per subscription and principal).");

    internal static void PageChecked(int healthy, int faulty, TimeSpan elapsed, long armReads, long dataPlaneReads)
    {
        Reads.Add(armReads, new TagList { { "plane", "arm" } });
        Reads.Add(dataPlaneReads, new TagList { { "plane", "data" } });
        Checked.Add(healthy, new TagList { { "outcome", "healthy" } });
        Checked.Add(faulty, new TagList { { "outcome", "faulty" } });
        PageDuration.Record(elapsed.TotalSeconds);
    }
}
