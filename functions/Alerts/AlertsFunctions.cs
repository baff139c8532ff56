using EdgeKv.Functions.Security;
using EdgeKv.Functions.DurableHttp;
using EdgeKv.Functions.Health;
using EdgeKv.Functions.Http;
using Microsoft.DurableTask.Client;
using EdgeKv.Orchestrations;
using EdgeKv.Records.Alerts;

namespace EdgeKv.Functions.Alerts;

/// <summary>
/// <c>GET /api/alerts?resource=&amp;severity=&amp;state=</c> lists alerts (oldest first); <c>POST /api/health/sweep</c>
/// starts a sweep now (202 + check-status of the one sweep instance, whether this call started it or joined a running
/// one).
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
                ct),
            row => row.Position.ToString(System.Globalization.CultureInfo.InvariantCulture),
            row => view.CanSeeAsync(row.Alert.Resource, ct),
            size, after: null, filtered: !view.SeesEverything);
        return Results.Ok(new ListPage<Alert>([.. page.Select(row => row.Alert)],
            resume is null ? null : FilteredPager.NextLink(context.Request, resume)));
    }
}
