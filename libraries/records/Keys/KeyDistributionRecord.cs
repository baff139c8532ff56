namespace EdgeKv.Records.Keys;

/// <summary>
/// A key distributed to a KMS provider: its purpose (the Azure key's operations), its protection, the vault, and which
/// Azure key version holds each EdgeKv version. Changed only by the distribution flows' activities.
/// </summary>
public sealed record KeyDistributionRecord
{
    public required string KmsName { get; init; }

    public required string KeyName { get; init; }

    public required IReadOnlyList<string> Purpose { get; init; }

    public required string Protection { get; init; }

    public DistributionState State { get; init; } = DistributionState.Distributing;

    /// <summary>The vault's data-plane URI, once resolved.</summary>
    public string? VaultUri { get; init; }

    /// <summary>EdgeKv version number to the Azure key version id holding it.</summary>
    public IReadOnlyDictionary<int, string> AzureVersions { get; init; } = new Dictionary<int, string>();

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }
}

public enum DistributionState
{
    Distributing,
    Distributed,
    Removing,
}

/// <summary>The protections a distribution may ask for.</summary>
public static class KeyProtections
{
    public const string Hsm = "hsm";
    public const string Software = "software";

    public static bool IsKnown(string? value) => value is Hsm or Software;
}
