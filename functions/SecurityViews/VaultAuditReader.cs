using EdgeKv.Activities;
using EdgeKv.Azure.Monitoring;
using EdgeKv.Records;

namespace EdgeKv.Functions.SecurityViews;

/// <summary>
/// Reads a vault's audit records from its audit storage account (libraries/azure/'s AuditLogsClient) and computes
/// insights from them.
/// </summary>
public static class VaultAuditReader
{
    public static async Task<IReadOnlyList<KeyVaultAuditRecord>> ReadAsync(AzureContext az, ResourceRecord record,
        DateTimeOffset? from, DateTimeOffset? to,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(az);
        ArgumentNullException.ThrowIfNull(record);
        if (record.AuditStorageAccountId is null) return [];
        string account = record.AuditStorageAccountId.TrimEnd('/').Split('/')[^1];
        AuditLogsClient client = az.Factory.CreateAuditLogsClient(account);
        return await client.GetAuditRecordsAsync(record.VaultId!, from, to, ct);
    }

    public static VaultAuditView View(KeyVaultAuditRecord r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new VaultAuditView(r.Time, r.OperationName, r.ResultType, r.HttpStatusCode, r.CallerObjectId,
            r.CallerAppId, r.CallerIpAddress, StripQuery(r.RequestUri), r.Id,
            r.CorrelationId);
    }

    public static InsightsView Insights(IReadOnlyList<KeyVaultAuditRecord> records, DateTimeOffset? from,
        DateTimeOffset? to)
    {
        ArgumentNullException.ThrowIfNull(records);
        static DateTimeOffset Hour(KeyVaultAuditRecord r) =>
            new(r.Time.UtcDateTime.Year, r.Time.UtcDateTime.Month, r.Time.UtcDateTime.Day, r.Time.UtcDateTime.Hour, 0,
                0, TimeSpan.Zero);
        HourCount[] perHour = [.. records.GroupBy(Hour).OrderBy(g => g.Key).Select(g => new HourCount(g.Key,
            g.Count()))];
        HourOperationCount[] perHourByOperation = [.. records.GroupBy(r => (Hour: Hour(r), r.OperationName,
            r.ResultType)).OrderBy(g => g.Key.Hour)
            .ThenBy(g => g.Key.OperationName, StringComparer.Ordinal).ThenBy(g => g.Key.ResultType,
                StringComparer.Ordinal)
            .Select(g => new HourOperationCount(g.Key.Hour, g.Key.OperationName, g.Key.ResultType, g.Count()))];
        OperationCount[] perOperation = [.. records.GroupBy(r => (r.OperationName,
            r.ResultType)).OrderBy(g => g.Key.OperationName, StringComparer.Ordinal)
            .ThenBy(g => g.Key.ResultType,
                StringComparer.Ordinal).Select(g => new OperationCount(g.Key.OperationName, g.Key.ResultType,
                    g.Count()))];
        CallerCount[] perCaller = [.. records.GroupBy(r => r.CallerObjectId ?? r.CallerAppId ?? "unknown").OrderByDescending(g => g.Count())
            .ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => new CallerCount(g.Key, g.Count()))];
        return new InsightsView(from, to, records.Count, perHour, perOperation, perCaller, perHourByOperation);
    }

    /// <summary>Request URIs may carry query strings; the view keeps the path only.</summary>
    private static string StripQuery(string uri)
    {
        int q = uri.IndexOf('?', StringComparison.Ordinal);
        return q < 0 ? uri : uri[..q];
    }
}
