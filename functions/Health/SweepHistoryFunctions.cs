using System.Globalization;
using EdgeKv.Functions.Http;
using EdgeKv.Functions.Security;
using EdgeKv.Records.Sweeps;

namespace EdgeKv.Functions.Health;

/// <summary>
/// <c>GET /api/health/sweeps?since=&amp;top=&amp;continuationToken=</c>: the finished sweeps (oldest first), as far
/// back as the retention keeps them, in Azure's list shape <c>{value, nextLink}</c>.
/// </summary>
public sealed class SweepHistoryFunctions(SweepHistoryStore history)
{
    /// <summary>
    /// A sweep's counts cover the whole fleet, so it is a service-level read: a reader scoped to a resource group or a
    /// resource is refused, as the numbers would tell it about resources it may not see.
    /// </summary>
    [Function("ListHealthSweeps"), RequiresPermission(Permission.ResourcesRead, ActionScope.Service, Audited = false)]
    public async Task<IResult> ListAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get",
        Route = "health/sweeps")] HttpRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        DateTimeOffset? since = QueryValues.Time(request, "since");
        (int size, IResult? invalid) = FilteredPager.PageSize(QueryValues.Int(request, "top"));
        if (invalid is not null) return invalid;
        long? after = null;
        if (QueryValues.Text(request, "continuationToken") is { } token)
        {
            if (!long.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out long parsed))
            {
                return AzureError.BadRequest("InvalidContinuationToken",
                    "continuationToken is not one this API issued.");
            }

            after = parsed;
        }

        IReadOnlyList<(long Position, SweepRecord Sweep)> rows = await history.QueryPageAsync(since, after, size + 1,
            ct);
        string? next = rows.Count > size ? FilteredPager.NextLink(request,
            rows[size - 1].Position.ToString(CultureInfo.InvariantCulture)) : null;
        return Results.Ok(new ListPage<SweepRecord>([.. rows.Take(size).Select(r => r.Sweep)], next));
    }
}
