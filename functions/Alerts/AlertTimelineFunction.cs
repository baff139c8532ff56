using System.Xml;
using EdgeKv.Functions.Http;
using EdgeKv.Functions.Security;
using EdgeKv.Records.Alerts;

namespace EdgeKv.Functions.Alerts;

/// <summary>
/// <c>GET /api/alerts/timeline?since=&amp;interval=</c>: alerts raised and resolved per interval (ISO 8601 duration,
/// one minute to one day, default <c>PT1H</c>) from <c>since</c> (default: 48 intervals ago) to now, every interval
/// listed (zero included), intervals aligned to multiples of the interval since the Unix epoch. A scoped reader counts
/// only the alerts of the resources it may read.
/// </summary>
public sealed class AlertTimelineFunction(AlertStore alerts, EdgeKvAuthorizer authorizer, TimeProvider time)
{
    public const int MaxBuckets = 1000;

    [Function("AlertTimeline"), RequiresPermission(Permission.ResourcesRead, ActionScope.List, Audited = false)]
    public async Task<IResult> RunAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get",
        Route = "alerts/timeline")] HttpRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        TimeSpan interval = TimeSpan.FromHours(1);
        if (QueryValues.Text(request, "interval") is { } text)
        {
            try
            {
                interval = XmlConvert.ToTimeSpan(text);
            }
            catch (Exception ex) when (ex is FormatException or OverflowException) // a duration beyond TimeSpan overflows
            {
                return AzureError.BadRequest("InvalidInterval", "interval must be an ISO 8601 duration such as PT1H.");
            }

            if (interval < TimeSpan.FromMinutes(1) || interval > TimeSpan.FromDays(1))
            {
                return AzureError.BadRequest("InvalidInterval", "interval must be one minute to one day.");
            }
        }

        DateTimeOffset now = time.GetUtcNow();
        DateTimeOffset since = QueryValues.Time(request, "since") ?? now - (interval * 48);
        DateTimeOffset first = new(since.UtcTicks - ((since.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) % interval.Ticks), TimeSpan.Zero);
        long count = first > now ? 0 : ((now - first).Ticks / interval.Ticks) + 1;
        if (count > MaxBuckets) return AzureError.BadRequest("TooManyIntervals",
            $"since and interval give {count} intervals; at most {MaxBuckets}.");

        ResourceVisibility view = await authorizer.VisibilityAsync(EdgeKvCaller.From(request.HttpContext.User)!,
            Permission.ResourcesRead, ct);
        var raised = new int[count];
        var resolved = new int[count];
        foreach (AlertTimes alert in await alerts.ChangedSinceAsync(first, ct))
        {
            if (!await view.CanSeeScopeAsync(AlertsFunctions.ScopeOf(alert.Resource), ct)) continue;
            Count(raised, alert.RaisedAt);
            if (alert.ResolvedAt is { } at) Count(resolved, at);
        }

        AlertBucket[] buckets = [.. Enumerable.Range(0,
            (int)count).Select(i => new AlertBucket(first + (interval * i), raised[i], resolved[i]))];
        return Results.Ok(new AlertTimeline(first, XmlConvert.ToString(interval), buckets, raised.Sum(),
            resolved.Sum()));

        void Count(int[] into, DateTimeOffset at)
        {
            long index = (at - first).Ticks / interval.Ticks;
            if (at >= first && index < into.Length) into[index]++;
        }
    }
}

/// <summary>Alerts raised and resolved per interval from <paramref name="Since"/>, and their totals.</summary>
public sealed record AlertTimeline(DateTimeOffset Since, string Interval, IReadOnlyList<AlertBucket> Buckets,
    int Raised, int Resolved);

/// <summary>One interval: the alerts raised and resolved in it.</summary>
public sealed record AlertBucket(DateTimeOffset Start, int Raised, int Resolved);
