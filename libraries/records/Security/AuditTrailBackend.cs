namespace EdgeKv.Records.Security;

/// <summary>
/// Where the audit trail keeps its chain: <see cref="SqliteAuditTrail"/> (security.db) or <see cref="TableAuditTrail"/>
/// (the app's storage account). A backend keeps one tail however many writers append: each record is sealed against the
/// hash of the record before it and gets the next sequence number, or is not written.
/// </summary>
public abstract class AuditTrailBackend
{
    /// <summary>The hash the first record is sealed against.</summary>
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>
    /// Appends <paramref name="entry"/> after the current tail. <paramref name="seal"/> gets the tail's hash and
    /// returns the record's time and hash; it may run again when another writer appended first.
    /// </summary>
    public abstract Task<AuditRecord> AppendAsync(AuditEntry entry,
        Func<string, (DateTimeOffset Time, string Hash)> seal, CancellationToken cancellationToken);

    public abstract Task<IReadOnlyList<AuditRecord>> QueryAsync(AuditQuery query, CancellationToken cancellationToken);

    /// <summary>Every record in sequence order, for the audit trail's verification.</summary>
    public abstract IAsyncEnumerable<AuditRecord> ReadAllAsync(CancellationToken cancellationToken);
}
