namespace EdgeKv.Azure.Monitoring;

/// <summary>
/// One Key Vault <c>AuditEvent</c> record as Azure Monitor writes it to storage (one JSON object per line).
/// </summary>
public sealed record KeyVaultAuditRecord(
    DateTimeOffset Time,
    string ResourceId,
    string OperationName,
    string OperationVersion,
    string Category,
    string ResultType,
    string ResultSignature,
    long DurationMs,
    string CallerIpAddress,
    string CorrelationId,
    string? CallerObjectId,
    string? CallerAppId,
    string? CallerUpn,
    string ClientInfo,
    string RequestUri,
    string Id,
    int HttpStatusCode);
