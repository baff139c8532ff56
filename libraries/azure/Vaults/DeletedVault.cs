namespace EdgeKv.Azure.Vaults;

/// <summary>A soft-deleted vault: recoverable (createMode recover) until purged.</summary>
public sealed record DeletedVault(
    string Name,
    string Location,
    string VaultId,
    DateTimeOffset DeletionDate,
    DateTimeOffset ScheduledPurgeDate,
    bool PurgeProtectionEnabled,
    IReadOnlyDictionary<string, string> Tags);
