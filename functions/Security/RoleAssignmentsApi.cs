using EdgeKv.Functions.Http;

namespace EdgeKv.Functions.Security;

/// <summary>
/// EdgeKv's role assignments, managed by the security team: <c>GET /api/roleAssignments</c>,
/// <c>PUT /api/roleAssignments/{id}</c> (<c>{"principalId","role","scope"}</c>), <c>DELETE</c>. Every change is
/// audited; a principal granting itself a data-plane role raises a security alert.
/// </summary>
public static partial class RoleAssignmentsApi
{
    public static void MapRoleAssignmentsApi(this WebApplication app)
    {
        RouteGroupBuilder group = app.MapGroup("/api/roleAssignments").RequireEdgeKvPermission(Permission.AccessManage).WithTags("Access");
        group.MapGet("/", async (RoleAssignmentStore store, CancellationToken ct) => Results.Ok(new { value = await store.ListAsync(cancellationToken: ct) }));
        group.MapGet("/{id}", async (string id, RoleAssignmentStore store, CancellationToken ct) =>
            await store.GetAsync(id, ct) is { } a ? Results.Ok(a) : AzureError.NotFound("RoleAssignmentNotFound", $"No role assignment '{id}'."));
        group.MapPut("/{id}", PutAsync);
        group.MapDelete("/{id}", async (string id, RoleAssignmentStore store, CancellationToken ct) =>
            await store.DeleteAsync(id, ct) ? Results.Ok() : Results.NoContent());
    }

    private static async Task<IResult> PutAsync(string id, RoleAssignmentRequest? body, HttpContext context, RoleAssignmentStore store, SecurityAlerts alerts,
        AuditTrail audit, TimeProvider time, ILogger<RoleAssignmentStore> logger, CancellationToken ct)
    {
        if (body is null) return AzureError.BadRequest("InvalidRoleAssignment", "The body needs principalId, role (SecurityTeam, Operator or Auditor) and scope.");
        EdgeKvCaller caller = EdgeKvCaller.From(context.User)!;
        (RoleAssignment? assignment, IResult? invalid) = body.Validate(id, caller.Principal, time.GetUtcNow());
        if (invalid is not null) return invalid;
        (EdgeKvRole role, string scope) = (assignment!.Role, assignment.Scope);
        await store.PutAsync(assignment, ct);
        LogGranted(logger, caller.Principal, role, assignment.PrincipalId, scope);
        if (RolePermissions.IsDataPlane(role) && string.Equals(assignment.PrincipalId, caller.Principal, StringComparison.OrdinalIgnoreCase))
        {
            string? resource = scope.StartsWith("/resources/", StringComparison.OrdinalIgnoreCase) ? scope["/resources/".Length..] : null;
            await audit.AppendAsync(new AuditEntry(caller.Principal, null, null, "SelfGrantDataPlane", resource, null, context.Connection.RemoteIpAddress?.ToString(),
                "Succeeded", 200), ct);
            await alerts.RaiseAsync(SecurityAlerts.SelfGrantedDataPlane, resource, caller.Principal,
                $"Principal {caller.Principal} granted itself the data-plane role {role} at scope {scope}.", ct);
        }

        return Results.Ok(assignment);
    }

    [LoggerMessage(7040, LogLevel.Information, "{Caller} assigned {Role} to {Principal} at {Scope}.")]
    private static partial void LogGranted(ILogger logger, string caller, EdgeKvRole role, string principal, string scope);
}
