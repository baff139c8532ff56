namespace EdgeKv.Records.Keys;

/// <summary>
/// One key EdgeKv owns: its type (fixed), its versions' public metadata and its lifecycle settings. Never its material:
/// that lives in <c>managed_key_versions</c>, only as an envelope under the key-encryption key.
/// </summary>
public sealed record KeyRecord
{
    public required string Name { get; init; }

    public required string Type { get; init; }

    public int LatestVersion { get; init; } = 1;

    /// <summary>Versions below this are disabled wherever the key is distributed.</summary>
    public int MinEnabledVersion { get; init; } = 1;

    public bool DeletionAllowed { get; init; }

    /// <summary>
    /// When set, the rotation timer rotates the key once this long has passed since its latest version.
    /// </summary>
    public TimeSpan? RotationPeriod { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public IReadOnlyList<KeyVersionInfo> Versions { get; init; } = [];

    /// <summary>When the latest version was created.</summary>
    public DateTimeOffset LatestVersionCreatedAt => Versions.Count == 0 ? CreatedAt : Versions.Max(v => v.CreatedAt);
}

/// <summary>
/// A version's public metadata: its number, creation time, and for asymmetric keys the public key (PEM).
/// </summary>
public sealed record KeyVersionInfo(int Version, DateTimeOffset CreatedAt, string? PublicKeyPem);
