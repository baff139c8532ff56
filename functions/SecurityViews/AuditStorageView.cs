namespace EdgeKv.Functions.SecurityViews;

/// <summary>
/// The audit storage account's security settings as Azure holds them: shared-key access, public blob access, minimum
/// TLS, and the audit container's time-based retention (null days: no policy yet).
/// </summary>
public sealed record AuditStorageView(
    string Id, string Name, bool AllowSharedKeyAccess, bool AllowBlobPublicAccess, string? MinimumTlsVersion,
    int? ImmutabilityDays,
    string? ImmutabilityState, bool? AllowProtectedAppendWrites);
