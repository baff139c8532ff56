using EdgeKv.Azure.Locks;
using EdgeKv.Azure.Monitoring;
using EdgeKv.Functions.Security;

namespace EdgeKv.Functions.SecurityViews;

/// <summary><c>GET .../security</c>: the resource's security page at a glance.</summary>
public sealed record SecuritySummary(
    string Resource, string? VaultName, string? VaultId, string? VaultUri, string? PortalLink, IdentityView? Identity, IReadOnlyList<ResourceLock> Locks,
    IReadOnlyList<DiagnosticSetting> Diagnostics, IReadOnlyList<SecurityAlert> Alerts);

/// <summary>One secret: attributes always, the value only for the security team with <c>includeValues=true</c>.</summary>
public sealed record SecretView(string Name, string? Version, int Versions, bool? Enabled, DateTimeOffset? Created, DateTimeOffset? Updated, string? ContentType, string? Value);

/// <summary>Who has what on the vault; <see cref="Flagged"/> marks an entry beyond what EdgeKv granted.</summary>
public sealed record AccessPolicyView(
    string ObjectId, string Who, IReadOnlyList<string> Secrets, IReadOnlyList<string> Keys, IReadOnlyList<string> Certificates, IReadOnlyList<string> Storage,
    bool Flagged, string? Reason);

/// <summary>The resource's system-assigned identity and whether the vault lets it get and set its secrets.</summary>
public sealed record IdentityView(bool Enabled, Guid? PrincipalId, Guid? TenantId, bool HasVaultAccess);

/// <summary>One vault audit record as the view returns it.</summary>
public sealed record VaultAuditView(
    DateTimeOffset Time, string OperationName, string ResultType, int HttpStatusCode, string? CallerObjectId, string? CallerAppId, string CallerIpAddress,
    string RequestUri, string Id, string CorrelationId);

/// <summary>A page of vault audit records.</summary>
public sealed record VaultAuditPage(IReadOnlyList<VaultAuditView> Value, string? NextLink);

/// <summary>Counts over the vault's audit records: per hour, per operation and result, per caller; <see cref="Total"/> is their sum each way.</summary>
public sealed record InsightsView(
    DateTimeOffset? From, DateTimeOffset? To, int Total, IReadOnlyList<HourCount> PerHour, IReadOnlyList<OperationCount> PerOperation, IReadOnlyList<CallerCount> PerCaller);

public sealed record HourCount(DateTimeOffset Hour, int Count);

public sealed record OperationCount(string Operation, string Result, int Count);

public sealed record CallerCount(string Caller, int Count);
