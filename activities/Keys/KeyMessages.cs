namespace EdgeKv.Activities.Keys;

// The key-management flows' inputs and outputs: names and version numbers only, never key material or credentials
// (the activities read those from the key store themselves).

/// <summary>
/// Distribute <see cref="KeyName"/> to the provider <see cref="KmsName"/> for a purpose, with a protection.
/// </summary>
public sealed record DistributeKeyRequest(string KeyName, string KmsName, IReadOnlyList<string> Purpose,
    string Protection);

/// <summary>One key at one provider.</summary>
public sealed record DistributionStep(string KeyName, string KmsName);

/// <summary>One EdgeKv version of a key, to be present at one provider.</summary>
public sealed record KeyVersionStep(string KeyName, string KmsName, int Version);

/// <summary>
/// Rotate <see cref="KeyName"/> to <see cref="NewVersion"/> (the version after the one the starter saw), everywhere it
/// is distributed.
/// </summary>
public sealed record RotateKeyRequest(string KeyName, int NewVersion, string Trigger = "api");

/// <summary>
/// Disable every version below <see cref="MinEnabledVersion"/> wherever the key is distributed, then record it.
/// </summary>
public sealed record MinEnabledVersionRequest(string KeyName, int MinEnabledVersion);

/// <summary>The versions at one provider set enabled or disabled by <see cref="MinEnabledVersion"/>.</summary>
public sealed record MinEnabledVersionStep(string KeyName, string KmsName, int MinEnabledVersion);

/// <summary>What a distribution needs imported, in order (the last becomes current).</summary>
public sealed record DistributionPlan(string KeyName, string KmsName, IReadOnlyList<int> Versions);

/// <summary>An EdgeKv version as present in one vault.</summary>
public sealed record ImportedVersion(string KeyName, string KmsName, int Version, string AzureVersion, bool Reused);

/// <summary>The outcome of a key-management flow, for the check-status payload.</summary>
public sealed record KeyFlowOutcome(string KeyName, int LatestVersion, int MinEnabledVersion,
    IReadOnlyList<string> Providers, string Summary);
