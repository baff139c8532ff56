using EdgeKv.Functions.Security;
using EdgeKv.Functions.DurableHttp;
using EdgeKv.Functions.Health;
using EdgeKv.Functions.Http;
using EdgeKv.Orchestrations;
using EdgeKv.Records.Alerts;

namespace EdgeKv.Functions.Alerts;

/// <summary>
/// <c>GET /api/alerts?resource=&amp;severity=&amp;state=</c> lists alerts (oldest first); <c>POST /api/health/sweep</c> starts
/// a sweep now (202 + check-status of the one sweep instance, whether this call started it or joined a running one).
/// </summary>
public static class AlertsApi
{
    public static void MapAlertsApi(this WebApplication app)
    {
        app.MapGet("/api/alerts", ListAsync).RequireEdgeKvPermission(Permission.ResourcesRead, audited: false, resourceRouteValue: null).WithTags("Alerts");
        app.MapPost("/api/health/sweep", async (HttpRequest request, HealthSweepStarter starter, CancellationToken ct) =>
        {
            await starter.StartAsync("http", ct);
            return HttpManagementPayload.CheckStatusResponse(request, HealthSweepOrchestrator.InstanceId);
        }).RequireEdgeKvPermission(Permission.RecoveryManage, resourceRouteValue: null).WithTags("Alerts");
    }

    /// <summary>
    /// A page of alerts (oldest first) of the resources the caller may read: a scoped role sees its scope's alerts, not
    /// the fleet's. Azure's list shape, <c>{value, nextLink}</c>, with <c>top</c> (1-1000, default 100).
    /// </summary>
    private static async Task<IResult> ListAsync(HttpContext context, string? resource, string? severity, string? state, int? top, string? continuationToken,
        AlertStore alerts, EdgeKvAuthorizer authorizer, CancellationToken ct)
    {
        AlertSeverity? sev = null;
        AlertState? st = null;
        if (severity is not null)
        {
            if (!Enum.TryParse(severity, true, out AlertSeverity s)) return AzureError.BadRequest("InvalidSeverity", $"severity must be one of {string.Join(", ", Enum.GetNames<AlertSeverity>())}.");
            sev = s;
        }

        if (state is not null)
        {
            if (!Enum.TryParse(state, true, out AlertState s)) return AzureError.BadRequest("InvalidState", $"state must be one of {string.Join(", ", Enum.GetNames<AlertState>())}.");
            st = s;
        }

        (int size, IResult? invalid) = FilteredPager.PageSize(top);
        if (invalid is not null) return invalid;
        long? start = null;
        if (continuationToken is not null)
        {
            if (!long.TryParse(continuationToken, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long parsed))
            {
                return AzureError.BadRequest("InvalidContinuationToken", "continuationToken is not one this API issued.");
            }

            start = parsed;
        }

        ResourceVisibility view = await authorizer.VisibilityAsync(EdgeKvCaller.From(context.User)!, Permission.ResourcesRead, ct);
        (IReadOnlyList<(long Position, Alert Alert)> page, string? resume) = await FilteredPager.ReadAsync(
            (after, limit) => alerts.QueryPageAsync(resource, sev, st, after is null ? start : long.Parse(after, System.Globalization.CultureInfo.InvariantCulture), limit, ct),
            row => row.Position.ToString(System.Globalization.CultureInfo.InvariantCulture),
            row => view.CanSeeAsync(row.Alert.Resource, ct),
            size, after: null, filtered: !view.SeesEverything);
        return Results.Ok(new ListPage<Alert>([.. page.Select(row => row.Alert)], resume is null ? null : FilteredPager.NextLink(context.Request, resume)));
    }
}
