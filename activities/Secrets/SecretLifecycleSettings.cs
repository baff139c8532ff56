namespace EdgeKv.Activities.Secrets;

/// <summary>
/// Section <c>EdgeKv:Secrets</c>: when a vault's secrets count as nearly expired, and how often the Channel Integrity
/// Key is replaced. A CIK version expires <see cref="ChannelIntegrityKeyLifetime"/> after it is written, well after its
/// scheduled replacement, so its near-expiry alert means the rotation has stopped.
/// </summary>
public sealed class SecretLifecycleSettings
{
    public const string SectionName = "EdgeKv:Secrets";

    /// <summary>A secret whose expiry is this close raises a warning (an expired one an error).</summary>
    public TimeSpan NearExpiryWindow { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// Age at which the sweep starts a rotation of a resource's CIK; zero turns scheduled rotation off.
    /// </summary>
    public TimeSpan ChannelIntegrityKeyRotationPeriod { get; set; } = TimeSpan.FromDays(90);

    /// <summary>The expiry set on each CIK version, from its creation.</summary>
    public TimeSpan ChannelIntegrityKeyLifetime { get; set; } = TimeSpan.FromDays(180);

    public void Validate()
    {
        if (NearExpiryWindow < TimeSpan.Zero || NearExpiryWindow > TimeSpan.FromDays(3650)) throw new InvalidOperationException("EdgeKv:Secrets:NearExpiryWindow must be 0 to 3650 days.");
        if (ChannelIntegrityKeyRotationPeriod < TimeSpan.Zero) throw new InvalidOperationException("EdgeKv:Secrets:ChannelIntegrityKeyRotationPeriod must not be negative (zero: no scheduled rotation).");
        if (ChannelIntegrityKeyLifetime < TimeSpan.FromHours(1) || ChannelIntegrityKeyLifetime > TimeSpan.FromDays(3650))
        {
            throw new InvalidOperationException("EdgeKv:Secrets:ChannelIntegrityKeyLifetime must be 1 hour to 3650 days.");
        }

        if (ChannelIntegrityKeyRotationPeriod > TimeSpan.Zero && ChannelIntegrityKeyRotationPeriod >= ChannelIntegrityKeyLifetime)
        {
            throw new InvalidOperationException("EdgeKv:Secrets:ChannelIntegrityKeyRotationPeriod must be shorter than ChannelIntegrityKeyLifetime: a CIK is replaced before it expires.");
        }
    }
}
