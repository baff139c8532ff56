namespace EdgeKv.Durable.Sqlite;

/// <summary>
/// The wait between polls of an idle queue: doubles from the minimum to the maximum while the queue stays empty,
/// back to the minimum as soon as a poll finds work, and never past the next message that becomes visible (a timer).
/// </summary>
internal sealed class PollingBackoff(TimeSpan min, TimeSpan max)
{
    private readonly TimeSpan _min = min;
    private readonly TimeSpan _max = max;
    private TimeSpan _next = min;

    public void Reset() => _next = _min;

    /// <summary>
    /// The wait before the next poll; <paramref name="untilNextVisible"/> caps it when a message is due.
    /// </summary>
    public TimeSpan Next(TimeSpan? untilNextVisible = null)
    {
        TimeSpan wait = _next;
        _next = TimeSpan.FromTicks(Math.Min(_max.Ticks, _next.Ticks * 2));
        if (untilNextVisible is { } due && due < wait) wait = due < TimeSpan.Zero ? TimeSpan.Zero : due;
        return wait;
    }
}
