namespace EdgeKv.Azure.Monitoring;

/// <summary>
/// One hourly audit-log blob (<c>.../y=/m=/d=/h=/m=00/PT1H.json</c>) in the <c>insights-logs-auditevent</c> container;
/// <paramref name="Hour"/> is the hour its name gives (UTC), null for a name outside Azure's layout.
/// </summary>
public sealed record AuditLogBlob(string Name, DateTimeOffset? LastModified, long Size, DateTimeOffset? Hour);
