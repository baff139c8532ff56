namespace EdgeKv.Functions.Health;

/// <summary>Section <c>EdgeKv:Health</c>: how the sweep pages the fleet, and where notifications go.</summary>
public sealed class HealthSettings
{
    public const string SectionName = "EdgeKv:Health";

    /// <summary>Resources one page activity checks.</summary>
    public int SweepPageSize { get; set; } = 200;

    /// <summary>Page activities in flight at once.</summary>
    public int SweepParallelPages { get; set; } = 8;

    /// <summary>Webhook that receives JSON notifications (alerts raised or resolved, long flows finished); none when empty.</summary>
    public Uri? NotificationWebhookUrl { get; set; }

    /// <summary>How long a sync of device secrets waits for the device to push them.</summary>
    public TimeSpan DeviceSyncTimeout { get; set; } = TimeSpan.FromMinutes(10);

    public void Validate()
    {
        if (SweepPageSize is < 1 or > 5000) throw new ArgumentOutOfRangeException(nameof(SweepPageSize), SweepPageSize, "1-5000.");
        if (SweepParallelPages is < 1 or > 64) throw new ArgumentOutOfRangeException(nameof(SweepParallelPages), SweepParallelPages, "1-64.");
        if (NotificationWebhookUrl is { IsAbsoluteUri: false }) throw new ArgumentException("NotificationWebhookUrl must be absolute.", nameof(NotificationWebhookUrl));
    }
}
