using EdgeKv.Functions.Security;
using EdgeKv.Functions.DurableHttp;
using EdgeKv.Functions.Health;
using EdgeKv.Functions.Http;
using Microsoft.DurableTask.Client;
using EdgeKv.Orchestrations;
using EdgeKv.Records.Alerts;
using EdgeKv.Records.Security;

namespace EdgeKv.Functions.Alerts;

/// <summary>
/// <c>GET /api/alerts?resource=&amp;severity=&amp;state=&amp;category=</c> lists alerts (oldest first), health and
/// security alike; <c>POST /api/alerts/{id}/resolve</c> is the security team settling an alert no check re-judges;
/// <c>POST /api/health/sweep</c> starts a sweep now (202 + check-status of the one sweep instance, whether this call
/// started it or joined a running one).
/// </summary>
public sealed class AlertsFunctions(AlertStore alerts, EdgeKvAuthorizer authorizer, HealthSweepStarter starter)
{
    [Function("StartHealthSweep"), RequiresPermission(Permission.RecoveryManage, ActionScope.Service)]
    public async Task<IResult> StartSweepAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post",
        Route = "health/sweep")] HttpRequest request,
        [DurableClient] DurableTaskClient client, CancellationToken ct)
    {
        await starter.StartAsync(client, "http", ct);
        return HttpManagementPayload.CheckStatusResponse(request, HealthSweepOrchestrator.InstanceId);
    }

    /// <summary>
    /// A page of alerts (oldest first) of the resources the caller may read: a scoped role sees its scope's alerts, not
    /// the fleet's. Azure's list shape, <c>{value, nextLink}</c>, with <c>top</c> (1-1000, default 100).
    /// </summary>
    [Function("ListAlerts"), RequiresPermission(Permission.ResourcesRead, ActionScope.List, Audited = false)]
    public async Task<IResult> ListAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get",
        Route = "alerts")] HttpRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        HttpContext context = request.HttpContext;
        string? resource = QueryValues.Text(request, "resource");
        string? severity = QueryValues.Text(request, "severity");
        string? state = QueryValues.Text(request, "state");
        string? category = QueryValues.Text(request, "category");
        int? top = QueryValues.Int(request, "top");
        string? continuationToken = QueryValues.Text(request, "continuationToken");
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

        AlertCategory? cat = null;
        if (category is not null)
        {
            if (!Enum.TryParse(category, true, out AlertCategory c) || !Enum.IsDefined(c))
            {
                return AzureError.BadRequest("InvalidCategory",
                    $"category must be one of {string.Join(", ", Enum.GetNames<AlertCategory>())}.");
            }

            cat = c;
        }

        (int size, IResult? invalid) = FilteredPager.PageSize(top);
        if (invalid is not null) return invalid;
        long? start = null;
        if (continuationToken is not null)
        {
            if (!long.TryParse(continuationToken, System.Globalization.NumberStyles.None,
                System.Globalization.CultureInfo.InvariantCulture, out long parsed))
            {
                return AzureError.BadRequest("InvalidContinuationToken",
                    "continuationToken is not one this API issued.");
            }

            start = parsed;
        }

        ResourceVisibility view = await authorizer.VisibilityAsync(EdgeKvCaller.From(context.User)!,
            Permission.ResourcesRead, ct);
        (IReadOnlyList<(long Position, Alert Alert)> page, string? resume) = await FilteredPager.ReadAsync(
            (after, limit) => alerts.QueryPageAsync(resource, sev, st,
                after is null ? start : long.Parse(after, System.Globalization.CultureInfo.InvariantCulture), limit,
                cat, ct),
            row => row.Position.ToString(System.Globalization.CultureInfo.InvariantCulture),
            row => view.CanSeeScopeAsync(ScopeOf(row.Alert.Resource), ct),
            size, after: null, filtered: !view.SeesEverything);
        return Results.Ok(new ListPage<Alert>([.. page.Select(row => row.Alert)],
            resume is null ? null : FilteredPager.NextLink(context.Request, resume)));
    }

    /// <summary>
    /// Resolves an alert that no check re-judges (<see cref="AlertKind.SelfGrantedDataPlaneAccess"/>): the security
    /// team reviewed it. Decided at the alert's scope with AccessManage (the permission that manages role assignments
    /// and access policies). 200 with the alert, also when it was resolved already (idempotent); 404 for an unknown id
    /// (only to a caller who may manage at the service scope: anyone else is refused as they would be wherever it
    /// were); 409 for an alert its own check resolves (the sweep, or the removal or acceptance of what it is about).
    /// </summary>
    [Function("ResolveAlert"),
        RequiresPermission(Permission.AccessManage, ActionScope.ItemScope, AuditObject = "alert:{id}")]
    public async Task<IResult> ResolveAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post",
        Route = "alerts/{id}/resolve")] HttpRequest request, string id, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        EdgeKvCaller caller = EdgeKvCaller.From(request.HttpContext.User)!;
        Alert? alert = await alerts.GetAsync(id, ct);
        string scope = alert is null ? RoleAssignment.ServiceScope : ScopeOf(alert.Resource);
        if (!await authorizer.IsAllowedAtScopeAsync(caller, Permission.AccessManage, scope, ct))
        {
            return AzureError.Result(StatusCodes.Status403Forbidden, "AuthorizationFailed",
                $"The caller '{caller.Principal}' does not have the AccessManage permission at a scope that contains this alert's resource.");
        }

        if (alert is null) return AzureError.NotFound("AlertNotFound", $"No alert '{id}'.");
        if (alert.State == AlertState.Active && AlertKinds.SweepObserved.Contains(alert.Kind))
        {
            return AzureError.Conflict("AlertResolvedByItsCheck",
                $"A {alert.Kind} alert is resolved when its check no longer finds the fault: {alert.Healing}.");
        }

        return Results.Ok(await alerts.ResolveByIdAsync(id, ct));
    }

    /// <summary>
    /// The scope an alert is decided and seen at: a resource's (<c>/resources/{name}</c>), or the scope itself when
    /// the alert is on one (a self-grant at <c>/</c>, a subscription or a resource group).
    /// </summary>
    internal static string ScopeOf(string resource) =>
        resource.StartsWith('/') ? resource : RoleAssignment.ResourceScope(resource);
}
