namespace EdgeKv.Activities.Lifecycle;

/// <summary>
/// A new activation key for a resource (its id and expiry only; the key is derived when fetched once).
/// </summary>
public sealed record ReplaceKeyRequest(string ResourceName, string KeyId, DateTimeOffset ExpiresAt,
    string ServiceEndpoint);

/// <summary>
/// Input of the deletion, captured when it starts (the record goes at the end): what to delete, and whether the vault
/// goes too.
/// </summary>
public sealed record DeleteResourceRequest(string ResourceName, string ResourceId, string ResourceGroup,
    bool DeleteVault, string? VaultId, string? VaultName, string? AuditStorageAccountId);

/// <summary>An Azure resource to act on by id.</summary>
public sealed record ScopeRequest(string ResourceId);
