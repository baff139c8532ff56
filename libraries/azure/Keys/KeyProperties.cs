namespace EdgeKv.Azure.Keys;

/// <summary>
/// A key version's properties, as Key Vault lists them (no key material). <see cref="KeyOperations"/> and <see
/// cref="KeyType"/> are filled when the properties come with the key (get, create, import, update); Key Vault's lists
/// (<c>KeyItem</c>) carry neither, so there they are empty and null.
/// </summary>
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
    IReadOnlyDictionary<string, string> Tags)
{
    /// <summary>The version's <c>key_ops</c> (empty in lists).</summary>
    public IReadOnlyList<string> KeyOperations { get; init; } = [];

    /// <summary>The version's <c>kty</c> (null in lists).</summary>
    public string? KeyType { get; init; }

    /// <summary>
    /// Key Vault's <c>managed</c>: true for a key that backs a certificate (its lifetime is the certificate's).
    /// </summary>
    public bool Managed { get; init; }
}
