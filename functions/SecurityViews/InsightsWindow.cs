using System.Xml;
using EdgeKv.Functions.Http;

namespace EdgeKv.Functions.SecurityViews;

/// <summary>
/// The time window and metric interval of the Insights view: <c>?from=&amp;to=&amp;interval=</c>, by default the last
/// 24 hours. The window is bounded (at most <see cref="MaxWindow"/>, so one request reads at most that many days of
/// audit blobs) and the interval is one of Azure Monitor's time grains, chosen from the window when not given.
/// </summary>
public sealed record InsightsWindow(DateTimeOffset From, DateTimeOffset To, TimeSpan Interval)
{
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromHours(24);

    public static readonly TimeSpan MaxWindow = TimeSpan.FromDays(31);

    /// <summary>No time before this is a vault's (Key Vault's first service version is of 2015).</summary>
    public static readonly DateTimeOffset Earliest = new(2015, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>At most this many points per series.</summary>
    public const int MaxPoints = 1440;

    /// <summary>Azure Monitor's time grains for platform metrics.</summary>
    public static readonly IReadOnlyList<TimeSpan> Grains =
    [
        TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30),
            TimeSpan.FromHours(1),
        TimeSpan.FromHours(6), TimeSpan.FromHours(12), TimeSpan.FromDays(1),
    ];

    /// <summary>
    /// The window asked for, or a 400 in Azure's error shape (<paramref name="error"/>) when it is not valid.
    /// </summary>
    public static InsightsWindow? Parse(HttpRequest request, DateTimeOffset now, out IResult? error)
    {
        DateTimeOffset? from = QueryValues.Time(request, "from");
        DateTimeOffset? to = QueryValues.Time(request, "to");
        string? intervalText = QueryValues.Text(request, "interval");
        error = null;

        // Times at the ends of the calendar would overflow the window's arithmetic below: no vault has logs there.
        if ((from is { } a && (a < Earliest || a > now + DefaultWindow)) || (to is { } b && (b < Earliest || b > now + DefaultWindow)))
        {
            error = AzureError.BadRequest("InvalidTimeWindow",
                $"from and to must lie between {Earliest:O} and a day from now.");
            return null;
        }

        DateTimeOffset end = to ?? (from is { } f && f + DefaultWindow < now ? f + DefaultWindow : now);
        DateTimeOffset start = from ?? end - DefaultWindow;
        if (start >= end)
        {
            error = AzureError.BadRequest("InvalidTimeWindow", "from must be before to.");
            return null;
        }

        if (end - start > MaxWindow)
        {
            error = AzureError.BadRequest("InvalidTimeWindow",
                $"The window from {start:O} to {end:O} is longer than {MaxWindow.TotalDays} days.");
            return null;
        }

        TimeSpan interval;
        if (intervalText is null)
        {
            interval = Grains.First(g => (end - start) / g <= 96 || g == Grains[^1]);
        }
        else
        {
            TimeSpan? parsed = null;
            try
            {
                parsed = XmlConvert.ToTimeSpan(intervalText);
            }
            catch (FormatException)
            {
            }

            if (parsed is not { } grain || !Grains.Contains(grain))
            {
                error = AzureError.BadRequest("InvalidInterval",
                    $"interval must be one of {string.Join(", ", Grains.Select(XmlConvert.ToString))} (ISO 8601 durations).");
                return null;
            }

            interval = grain;
        }

        if ((end - start) / interval > MaxPoints)
        {
            error = AzureError.BadRequest("InvalidInterval",
                $"The window at {XmlConvert.ToString(interval)} would give more than {MaxPoints} points; use a larger interval.");
            return null;
        }

        return new InsightsWindow(start, end, interval);
    }
}
