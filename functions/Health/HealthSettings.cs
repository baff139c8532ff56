namespace EdgeKv.Functions.Health;

/// <summary>Section <c>EdgeKv:Health</c>: how the sweep pages the fleet, and where notifications go.</summary>
public sealed class HealthSettings
{
    public const string SectionName = "EdgeKv:Health";

    /// <summary>
    /// Resources one page activity checks. A steady page makes almost no calls to Azure (the fleet lists are shared,
    /// per-vault reads run only when due), so the sweep's cost is mostly its activities in the task hub: 1,000 a page
    /// keeps a sweep of 10,000 to ten of them (on the shared store, about a third of the storage requests of pages of
    /// 200).
    /// </summary>
    public int SweepPageSize { get; set; } = 1000;

    /// <summary>Page activities in flight at once.</summary>
    public int SweepParallelPages { get; set; } = 8;

    /// <summary>
    /// Webhook that receives JSON notifications (alerts raised or resolved, long flows finished); none when empty.
    /// </summary>
    public Uri? NotificationWebhookUrl { get; set; }

    /// <summary>How long a sync of device secrets waits for the device to push them.</summary>
    public TimeSpan DeviceSyncTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Days of sweep history kept (<c>GET /api/health/sweeps</c>); older sweeps are pruned when a sweep is recorded.
    /// </summary>
    public int SweepHistoryDays { get; set; } = 30;

    /// <summary>Sweeps kept at most, however young (a sweep every 15 minutes is 2,880 in 30 days).</summary>
    public int SweepHistoryMaxEntries { get; set; } = 5000;

    /// <summary>
    /// How often the sweep reads each resource's diagnostic settings and its vault's secret list when nothing changed
    /// (the fleet lists, read every sweep, find deleted vaults and access-policy changes at once; a changed vault or an
    /// event makes its reads run in the next sweep). Each resource is read at its own time across the interval.
    /// </summary>
    public TimeSpan SweepCheckInterval { get; set; } = TimeSpan.FromHours(24);

    public void Validate()
    {
        if (SweepCheckInterval < TimeSpan.Zero || SweepCheckInterval > TimeSpan.FromDays(30)) throw new ArgumentOutOfRangeException(nameof(SweepCheckInterval), SweepCheckInterval, "0-30 days (0: every sweep).");
        if (SweepHistoryDays is < 1 or > 3650) throw new ArgumentOutOfRangeException(nameof(SweepHistoryDays),
            SweepHistoryDays, "1-3650.");
        if (SweepHistoryMaxEntries is < 1 or > 1_000_000) throw new ArgumentOutOfRangeException(nameof(SweepHistoryMaxEntries), SweepHistoryMaxEntries, "1-1000000.");
        if (SweepPageSize is < 1 or > 5000) throw new ArgumentOutOfRangeException(nameof(SweepPageSize), SweepPageSize,
            "1-5000.");
        if (SweepParallelPages is < 1 or > 64) throw new ArgumentOutOfRangeException(nameof(SweepParallelPages),
            SweepParallelPages, "1-64.");
        if (NotificationWebhookUrl is { IsAbsoluteUri: false }) throw new ArgumentException("NotificationWebhookUrl must be absolute.", nameof(NotificationWebhookUrl));
    }
}
