using EdgeKv.Records.Keys;

namespace EdgeKv.Functions.Keys;

/// <summary>
/// A key as EdgeKv answers it: metadata, every version with its public key, where it is distributed. Never material.
/// </summary>
public sealed record KeyView(
    string Name,
    string Type,
    int LatestVersion,
    int MinEnabledVersion,
    bool DeletionAllowed,
    string? RotationPeriod,
    DateTimeOffset CreatedTime,
    DateTimeOffset UpdatedTime,
    IReadOnlyList<KeyVersionView> Versions,
    IReadOnlyList<KeyDistributionSummary> Distributions)
{
    public static KeyView From(KeyRecord key, IReadOnlyList<KeyDistributionRecord> distributions)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(distributions);
        return new KeyView(key.Name, key.Type, key.LatestVersion, key.MinEnabledVersion, key.DeletionAllowed,
            RotationPeriods.Format(key.RotationPeriod),
            key.CreatedAt, key.UpdatedAt,
            [.. key.Versions.OrderBy(v => v.Version).Select(v => new KeyVersionView(v.Version, v.CreatedAt,
                v.Version >= key.MinEnabledVersion, v.PublicKeyPem))],
            [.. distributions.Select(d => new KeyDistributionSummary(d.KmsName, d.Purpose, d.Protection,
                d.State.ToString()))]);
    }
}

/// <summary>
/// One version: number, creation time, whether it is enabled (at or above the minimum), public key (PEM; null for AES).
/// </summary>
public sealed record KeyVersionView(int Version, DateTimeOffset CreatedTime, bool Enabled, string? PublicKey);

/// <summary>Where a key is distributed, as its read shows it.</summary>
public sealed record KeyDistributionSummary(string Kms, IReadOnlyList<string> Purpose, string Protection, string State);
