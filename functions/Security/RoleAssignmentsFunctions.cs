using EdgeKv.Functions.Http;

namespace EdgeKv.Functions.Security;

/// <summary>
/// EdgeKv's role assignments, managed by the security team: <c>GET /api/roleAssignments</c>,
/// <c>PUT /api/roleAssignments/{id}</c> (<c>{"principalId","role","scope"}</c>), <c>DELETE</c>. Every change is
/// audited; a principal granting itself a data-plane role raises a security alert.
/// </summary>
public sealed partial class RoleAssignmentsFunctions(RoleAssignmentStore store, SecurityAlerts alerts, AuditTrail audit, TimeProvider time, ILogger<RoleAssignmentStore> logger)
{
    private const string Route = "roleAssignments";

    [Function("ListRoleAssignments"), RequiresPermission(Permission.AccessManage, ResourceRouteValue = null)]
    public async Task<IResult> ListAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Route)] HttpRequest request, CancellationToken ct) =>
        Results.Ok(new { value = await store.ListAsync(cancellationToken: ct) });

    [Function("GetRoleAssignment"), RequiresPermission(Permission.AccessManage, ResourceRouteValue = null, AuditObject = "roleAssignment:{id}")]
    public async Task<IResult> GetAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Route + "/{id}")] HttpRequest request, string id, CancellationToken ct) =>
        await store.GetAsync(id, ct) is { } a ? Results.Ok(a) : AzureError.NotFound("RoleAssignmentNotFound", $"No role assignment '{id}'.");

    [Function("DeleteRoleAssignment"), RequiresPermission(Permission.AccessManage, ResourceRouteValue = null, AuditObject = "roleAssignment:{id}")]
    public async Task<IResult> DeleteAsync([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = Route + "/{id}")] HttpRequest request, string id, CancellationToken ct) =>
        await store.DeleteAsync(id, ct) ? Results.Ok() : Results.NoContent();

    [Function("PutRoleAssignment"), RequiresPermission(Permission.AccessManage, ResourceRouteValue = null, AuditObject = "roleAssignment:{id}")]
    public async Task<IResult> PutAsync([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = Route + "/{id}")] HttpRequest request, string id, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        HttpContext context = request.HttpContext;
        BodyResult<RoleAssignmentRequest> read = await JsonBody.ReadOptionalAsync<RoleAssignmentRequest>(request, ct);
        if (read.Error is not null) return read.Error;
        if (read.Value is not { } body) return AzureError.BadRequest("InvalidRoleAssignment", "The body needs principalId, role (SecurityTeam, Operator or Auditor) and scope.");
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
