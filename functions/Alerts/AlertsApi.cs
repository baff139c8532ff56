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

    /// <summary>Only the alerts of resources the caller may read: a scoped role sees its scope's alerts, not the fleet's.</summary>
    private static async Task<IResult> ListAsync(HttpContext context, string? resource, string? severity, string? state, AlertStore alerts, EdgeKvAuthorizer authorizer,
        CancellationToken ct)
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

        ResourceVisibility view = await authorizer.VisibilityAsync(EdgeKvCaller.From(context.User)!, Permission.ResourcesRead, ct);
        var visible = new List<Alert>();
        foreach (Alert alert in await alerts.QueryAsync(resource, sev, st, ct))
        {
            if (await view.CanSeeAsync(alert.Resource, ct)) visible.Add(alert);
        }

        return Results.Ok(visible);
    }
}
