namespace EdgeKv.Azure.Keys;

/// <summary>A soft-deleted key: its last version and when it was deleted and will be purged.</summary>
public sealed record DeletedKey(KeyVaultKey Key, Uri RecoveryId, DateTimeOffset DeletedOn,
    DateTimeOffset ScheduledPurgeDate);
