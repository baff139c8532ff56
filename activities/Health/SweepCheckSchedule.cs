namespace EdgeKv.Activities.Health;

/// <summary>
/// How often the sweep runs each resource's per-vault reads (diagnostic settings, the vault's secret list, any other
/// <see cref="IVaultHealthCheck.RunsWhenDue"/> check) when nothing changed: every <see cref="Interval"/>, each resource
/// at its own time. A resource seen for the first time is read at once and then scheduled at a point spread evenly over
/// the interval by its name, so a fleet's reads spread across the sweeps of the interval instead of coming due
/// together.
/// </summary>
public sealed record SweepCheckSchedule(TimeSpan Interval)
{
    public static SweepCheckSchedule Default { get; } = new(TimeSpan.FromHours(24));

    /// <summary>
    /// When reads that ran at <paramref name="at"/> are next due: an interval later, or, the first time, a share of it
    /// set by the name.
    /// </summary>
    public DateTimeOffset NextDue(string name, DateTimeOffset at, bool first)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!first) return at + Interval;
        // A stable hash (string.GetHashCode differs per process): FNV-1a over the name without case.
        uint hash = 2166136261;
        foreach (char c in name.ToLowerInvariant()) hash = (hash ^ c) * 16777619;
        return at + (Interval * (hash / (double)uint.MaxValue));
    }
}
