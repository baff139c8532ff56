namespace EdgeKv.Records.Sweeps;

/// <summary>
/// What the health sweep remembers about one resource between sweeps (no finding text, no secret): the fingerprint of
/// its vault as the last fleet list showed it (null once the vault was missing), when the per-resource reads
/// (diagnostic settings, the vault's secret list and any other per-vault check) last ran, when they are next due,
/// whether they found a fault, and when an event last marked the resource to be read again (<see cref="DirtyAt"/>,
/// written only by <see cref="SweepCheckStore.MarkDirtyAsync"/>; a sweep's save leaves it as it is).
/// </summary>
public sealed record SweepCheckState(
    string Name,
    string? VaultFingerprint,
    DateTimeOffset? ReadsCheckedAt,
    DateTimeOffset? ReadsDueAt,
    bool ReadsFaulty,
    DateTimeOffset? DirtyAt = null);
