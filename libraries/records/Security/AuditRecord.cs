namespace EdgeKv.Records.Security;

/// <summary>
/// One entry of EdgeKv's audit trail: who (principal object id or device, role), what (operation, resource, secret
/// name, never a value), when, from where (client address) and the result. <see cref="Hash"/> chains it to the entry
/// before.
/// </summary>
public sealed record AuditRecord(
    long Sequence,
    DateTimeOffset Time,
    string Principal,
    string? Role,
    string? Device,
    string Operation,
    string? Resource,
    string? SecretName,
    string? ClientIp,
    string Result,
    int Status,
    string PreviousHash,
    string Hash);

/// <summary>What a caller appends; the trail adds the sequence, the time and the hashes.</summary>
public sealed record AuditEntry(
    string Principal, string? Role, string? Device, string Operation, string? Resource, string? SecretName,
    string? ClientIp, string Result, int Status);

/// <summary>Filters of <c>GET /api/audit</c>.</summary>
public sealed record AuditQuery(
    DateTimeOffset? From = null, DateTimeOffset? To = null, string? Principal = null, string? Operation = null,
    string? Resource = null, string? Result = null,
    long? After = null, int Top = 100);
