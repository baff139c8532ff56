using EdgeKv.Records.Keys;

namespace EdgeKv.Functions.Keys;

/// <summary>
/// A key at a provider: its purpose (the Azure key's operations), protection, state, the Azure key id and which Azure
/// version holds each EdgeKv version (the last is current there).
/// </summary>
public sealed record KeyDistributionView(
    string Name,
    string Kms,
    IReadOnlyList<string> Purpose,
    IReadOnlyList<string> Operations,
    string Protection,
    string State,
    string? AzureKeyId,
    IReadOnlyList<DistributedVersionView> Versions,
    DateTimeOffset CreatedTime,
    DateTimeOffset UpdatedTime)
{
    public static KeyDistributionView From(KeyDistributionRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        string? keyId = record.VaultUri is { } uri ? $"{uri.TrimEnd('/')}/keys/{record.KeyName}" : null;
        return new KeyDistributionView(record.KeyName, record.KmsName, record.Purpose, record.Purpose,
            record.Protection, record.State.ToString(), keyId,
            [.. record.AzureVersions.OrderBy(v => v.Key).Select(v => new DistributedVersionView(v.Key, v.Value))],
            record.CreatedAt, record.UpdatedAt);
    }
}

/// <summary>An EdgeKv version and the Azure key version that holds it.</summary>
public sealed record DistributedVersionView(int Version, string AzureVersion);
