namespace EdgeKv.Azure.Keys;

/// <summary>A key version's properties, as Key Vault lists them (no key material).</summary>
public sealed record KeyProperties(
    Uri Id,
    string Name,
    string? Version,
    bool Enabled,
    DateTimeOffset? NotBefore,
    DateTimeOffset? ExpiresOn,
    DateTimeOffset? CreatedOn,
    DateTimeOffset? UpdatedOn,
    string? RecoveryLevel,
    IReadOnlyDictionary<string, string> Tags);
