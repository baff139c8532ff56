namespace EdgeKv.Records.Sweeps;

/// <summary>
/// One finished health sweep: when it started and ended, what it checked and found, and the alerts it raised and
/// resolved. <paramref name="Id"/> is the sweep's own id (every sweep runs under the same instance id, <paramref
/// name="InstanceId"/>), so writing the same sweep twice keeps one record. Counts only, never a finding. <paramref
/// name="ArmReads"/> and <paramref name="DataPlaneReads"/> are the sweep's read requests to Resource Manager and to the
/// vaults (every attempt; zero for sweeps recorded before they were counted).
/// </summary>
public sealed record SweepRecord(
    string Id,
    string InstanceId,
    string Trigger,
    DateTimeOffset StartedAt,
    DateTimeOffset CompletedAt,
    int Pages,
    int Checked,
    int Skipped,
    int Faulty,
    int UncheckedPages,
    int Raised,
    int Resolved,
    long ArmReads = 0,
    long DataPlaneReads = 0)
{
    public double DurationSeconds => (CompletedAt - StartedAt).TotalSeconds;
}

/// <summary>
/// How much sweep history is kept: records younger than <paramref name="MaxAge"/>, at most <paramref
/// name="MaxEntries"/> of them.
/// </summary>
public sealed record SweepRetention(TimeSpan MaxAge, int MaxEntries)
{
    public static SweepRetention Default { get; } = new(TimeSpan.FromDays(30), 5000);
}
