namespace EdgeKv.Bench.Keys;

/// <summary>
/// The key rotation benchmark at one size: the setup (vaults made, key distributed, untimed), the timed rotations after
/// the warm-up, and the machine's 1-minute load average before and after them.
/// </summary>
internal sealed record KeyRotationResult(int Vaults, string Protection, TimeSpan Setup, KeyRotationRun WarmUp,
    IReadOnlyList<KeyRotationRun> Runs,
    string LoadBefore, string LoadAfter)
{
    /// <summary>The run of median wall time.</summary>
    public KeyRotationRun Median => Runs.OrderBy(r => r.Elapsed).ElementAt(Runs.Count / 2);
}
