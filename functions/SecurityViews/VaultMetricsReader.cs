using System.Xml;
using Azure;
using EdgeKv.Activities;
using EdgeKv.Azure.Monitoring;
using EdgeKv.Records;

namespace EdgeKv.Functions.SecurityViews;

/// <summary>
/// Reads a vault's platform metrics (libraries/azure/'s VaultMetricsClient on Azure.Monitor.Query) for the Insights
/// view. Metrics come from Azure Monitor, not from the audit logs, so they exist without a diagnostic setting; a
/// failure to read them is reported in the view beside the audit-log counts rather than failing the whole view.
/// </summary>
public static class VaultMetricsReader
{
    public static async Task<PlatformMetricsView> ReadAsync(AzureContext az, ResourceRecord record,
        InsightsWindow window, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(az);
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(window);
        string interval = XmlConvert.ToString(window.Interval);
        try
        {
            VaultMetricsSeries series = await az.Factory.CreateVaultMetricsClient().GetAsync(record.VaultId!,
                window.From, window.To, window.Interval, ct);
            return View(series, interval);
        }
        catch (RequestFailedException ex)
        {
            return new PlatformMetricsView(interval, 0, new Dictionary<string, long>(), null, null, null, [],
                $"Azure Monitor answered {ex.Status} {ex.ErrorCode}: the vault's platform metrics could not be read.");
        }
    }

    public static PlatformMetricsView View(VaultMetricsSeries series, string interval)
    {
        ArgumentNullException.ThrowIfNull(series);
        List<VaultMetricPoint> busy = [.. series.Points.Where(p => p.Hits > 0 && p.LatencyAverageMs is not null)];
        long busyHits = busy.Sum(p => p.Hits);
        double? latencyAverage = busyHits == 0 ? null : Math.Round(busy.Sum(p => p.LatencyAverageMs!.Value * p.Hits) / busyHits, 3);
        double? latencyMax = busy.Count == 0 ? null : busy.Max(p => p.LatencyMaxMs);
        List<double> availability = [.. series.Points.Where(p => p.Availability is not null).Select(p => p.Availability!.Value)];
        return new PlatformMetricsView(interval, series.TotalHits, series.TotalResultsByClass, latencyAverage,
            latencyMax,
            availability.Count == 0 ? null : Math.Round(availability.Average(), 3), series.Points);
    }
}
