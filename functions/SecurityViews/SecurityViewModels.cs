using EdgeKv.Azure.Locks;
using EdgeKv.Azure.Monitoring;
using EdgeKv.Functions.Security;
using EdgeKv.Records.Alerts;

namespace EdgeKv.Functions.SecurityViews;

/// <summary>
/// <c>GET .../security</c>: the resource's security page at a glance. <see cref="VaultState"/> is one of
/// <see cref="VaultStates"/>; when the vault is gone there are no vault locks or diagnostics to show, and
/// <see cref="Alerts"/> holds every active alert of the resource, health (worst first) and security alike.
/// </summary>
public sealed record SecuritySummary(
    string Resource, string? VaultName, string? VaultId, string? VaultUri, string? PortalLink, string VaultState,
    IdentityView? Identity,
    IReadOnlyList<ResourceLock> Locks, IReadOnlyList<DiagnosticSetting> Diagnostics,
    IReadOnlyList<SummaryAlert> Alerts);

/// <summary>
/// Whether the resource's vault can be read: present, soft-deleted (recoverable under its name) or purged (a new name
/// is needed).
/// </summary>
public static class VaultStates
{
    public const string Present = "Present";
    public const string Deleted = "Deleted";
    public const string Purged = "Purged";
}

/// <summary>
/// An active alert on the security page: its <see cref="Category"/> (<c>Health</c> or <c>Security</c>, from its kind),
/// severity, the principal it is about (null when none) and the request that heals it.
/// </summary>
public sealed record SummaryAlert(AlertCategory Category, string Id, string Kind, string Severity, DateTimeOffset Time,
    string Message, string? Healing, string? Principal)
{
    public static SummaryAlert From(Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return new SummaryAlert(alert.Category, alert.Id, alert.Kind.ToString(), alert.Severity.ToString(),
            alert.FirstSeen, alert.Finding, alert.Healing, alert.Principal);
    }
}

/// <summary>
/// One secret: attributes always, the value only for the security team with <c>includeValues=true</c>.
/// </summary>
public sealed record SecretView(string Name, string? Version, int Versions, bool? Enabled, DateTimeOffset? Created,
    DateTimeOffset? Updated, string? ContentType, string? Value);

/// <summary>Who has what on the vault; <see cref="Flagged"/> marks an entry beyond what EdgeKv granted.</summary>
public sealed record AccessPolicyView(
    string ObjectId, string Who, IReadOnlyList<string> Secrets, IReadOnlyList<string> Keys,
    IReadOnlyList<string> Certificates, IReadOnlyList<string> Storage,
    bool Flagged, string? Reason, string? AcceptedBy = null, DateTimeOffset? AcceptedAt = null);

/// <summary>The resource's system-assigned identity and whether the vault lets it get and set its secrets.</summary>
public sealed record IdentityView(bool Enabled, Guid? PrincipalId, Guid? TenantId, bool HasVaultAccess);

/// <summary>One vault audit record as the view returns it.</summary>
public sealed record VaultAuditView(
    DateTimeOffset Time, string OperationName, string ResultType, int HttpStatusCode, string? CallerObjectId,
    string? CallerAppId, string CallerIpAddress,
    string RequestUri, string Id, string CorrelationId);

/// <summary>A page of vault audit records.</summary>
public sealed record VaultAuditPage(IReadOnlyList<VaultAuditView> Value, string? NextLink);

/// <summary>
/// Counts over the vault's audit records: per hour, per operation and result, per caller, and per hour by operation and
/// result (the portal's operations over time, split either way); <see cref="Total"/> is their sum each way.
/// </summary>
public sealed record InsightsView(
    DateTimeOffset? From, DateTimeOffset? To, int Total, IReadOnlyList<HourCount> PerHour,
    IReadOnlyList<OperationCount> PerOperation, IReadOnlyList<CallerCount> PerCaller,
    IReadOnlyList<HourOperationCount> PerHourByOperation)
{
    /// <summary>
    /// The vault's platform metrics over the same window (Azure Monitor), beside the audit-log counts.
    /// </summary>
    public PlatformMetricsView? Metrics { get; init; }
}

/// <summary>
/// The vault's platform metrics as the portal's Key Vault insights shows them: per interval (ISO 8601, such as PT15M)
/// the service API hits, average and maximum latency (ms), results by status class and availability (%), with the
/// window's totals. <see cref="Error"/> says why they could not be read (the audit-log counts are answered all the
/// same).
/// </summary>
public sealed record PlatformMetricsView(
    string Interval, long TotalHits, IReadOnlyDictionary<string, long> ResultsByClass, double? LatencyAverageMs,
    double? LatencyMaxMs, double? Availability,
    IReadOnlyList<VaultMetricPoint> Points, string? Error = null);

public sealed record HourCount(DateTimeOffset Hour, int Count);

public sealed record HourOperationCount(DateTimeOffset Hour, string Operation, string Result, int Count);

public sealed record OperationCount(string Operation, string Result, int Count);

public sealed record CallerCount(string Caller, int Count);
