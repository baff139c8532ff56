using EdgeKv.Functions.Http;
using EdgeKv.Records.Alerts;
using EdgeKv.Records.Security;

namespace EdgeKv.Functions.Security;

/// <summary>
/// EdgeKv's role assignments: <c>GET /api/roleAssignments</c>, <c>PUT /api/roleAssignments/{id}</c>
/// (<c>{"principalId","role","scope"}</c>, nothing else), <c>GET</c> and <c>DELETE</c>. As in Azure RBAC, each is
/// decided at the assignment's own scope: reading, writing or deleting an assignment needs AccessManage at a scope that
/// contains it (for a replaced assignment, the old scope as well), so nobody grants above their own scope; a principal
/// cannot widen its own assignments (or its groups'); a list holds only the assignments the caller may see. Every
/// change is audited; a principal granting itself (or a group it belongs to) a data-plane role raises a
/// <see cref="AlertKind.SelfGrantedDataPlaneAccess"/> alert about the grantee, resolved when the grantee holds no
/// data-plane assignment at that scope any more.
/// </summary>
public sealed partial class RoleAssignmentsFunctions(
    RoleAssignmentStore store, EdgeKvAuthorizer authorizer, AlertStore alerts, AuditTrail audit, TimeProvider time,
    ILogger<RoleAssignmentsFunctions> logger)
{
    private const string Route = "roleAssignments";

    /// <summary>
    /// <c>GET /api/roleAssignments[?scope=...]</c>: the assignments at the scope read at (the service's by default) and
    /// below.
    /// </summary>
    [Function("ListRoleAssignments"), RequiresPermission(Permission.AccessManage, ActionScope.QueryScope)]
    public async Task<IResult> ListAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get",
        Route = Route)] HttpRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (RequestScope.Read(request) is not { } scope) return RequestScope.Invalid();
        ResourceVisibility view = authorizer.Below(scope);
        var visible = new List<RoleAssignment>();
        foreach (RoleAssignment assignment in await store.ListAsync(cancellationToken: ct))
        {
            if (await view.CanSeeScopeAsync(assignment.Scope, ct)) visible.Add(assignment);
        }

        return Results.Ok(new { value = visible });
    }

    [Function("GetRoleAssignment"),
        RequiresPermission(Permission.AccessManage, ActionScope.ItemScope, AuditObject = "roleAssignment:{id}")]
    public async Task<IResult> GetAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get",
        Route = Route + "/{id}")] HttpRequest request, string id, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        EdgeKvCaller caller = EdgeKvCaller.From(request.HttpContext.User)!;
        RoleAssignment? existing = await store.GetAsync(id, ct);
        if (await RefusedAtAsync(caller, existing?.Scope, ct) is { } refused) return refused;
        return existing is null ? AzureError.NotFound("RoleAssignmentNotFound",
            $"No role assignment '{id}'.") : Results.Ok(existing);
    }

    [Function("DeleteRoleAssignment"),
        RequiresPermission(Permission.AccessManage, ActionScope.ItemScope, AuditObject = "roleAssignment:{id}")]
    public async Task<IResult> DeleteAsync([HttpTrigger(AuthorizationLevel.Anonymous, "delete",
        Route = Route + "/{id}")] HttpRequest request, string id, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        EdgeKvCaller caller = EdgeKvCaller.From(request.HttpContext.User)!;
        RoleAssignment? existing = await store.GetAsync(id, ct);
        if (await RefusedAtAsync(caller, existing?.Scope, ct) is { } refused) return refused;
        if (existing is null || !await store.DeleteAsync(id, ct)) return Results.NoContent();
        if (RolePermissions.IsDataPlane(existing.Role) && !(await store.ListAsync(existing.PrincipalId, ct)).Any(a =>
            RolePermissions.IsDataPlane(a.Role) && string.Equals(a.PrincipalId, existing.PrincipalId,
                StringComparison.OrdinalIgnoreCase) && string.Equals(a.Scope, existing.Scope,
                StringComparison.OrdinalIgnoreCase)))
        {
            // The grantee holds no data-plane role there any more: a self-grant of it is settled.
            await alerts.ResolveAsync(AlertResourceOf(existing.Scope), [AlertKind.SelfGrantedDataPlaneAccess],
                existing.PrincipalId, ct);
        }

        return Results.Ok();
    }

    /// <summary>
    /// The resource a scope's alerts are on: the resource a <c>/resources/{name}</c> scope names, else the scope itself
    /// (<c>/</c>, a subscription or a resource group), so only callers who may see that scope see them.
    /// </summary>
    public static string AlertResourceOf(string scope) => RoleAssignment.ResourceOf(scope) ?? scope;

    [Function("PutRoleAssignment"),
        RequiresPermission(Permission.AccessManage, ActionScope.ItemScope, AuditObject = "roleAssignment:{id}")]
    public async Task<IResult> PutAsync([HttpTrigger(AuthorizationLevel.Anonymous, "put",
        Route = Route + "/{id}")] HttpRequest request, string id, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        HttpContext context = request.HttpContext;
        BodyResult<RoleAssignmentRequest> read = await JsonBody.ReadOptionalAsync<RoleAssignmentRequest>(request, ct);
        if (read.Error is not null) return read.Error;
        if (read.Value is not { } body) return AzureError.BadRequest("InvalidRoleAssignment",
            "The body needs principalId, role (SecurityTeam, Operator or Auditor) and scope.");
        EdgeKvCaller caller = EdgeKvCaller.From(context.User)!;
        (RoleAssignment? assignment, IResult? invalid) = body.Validate(id, caller.Principal, time.GetUtcNow());
        if (invalid is not null) return invalid;
        (EdgeKvRole role, string scope) = (assignment!.Role, assignment.Scope);
        if (await RefusedAtAsync(caller, scope, ct) is { } above) return above;
        if (await store.GetAsync(id, ct) is { } replaced && await RefusedAtAsync(caller, replaced.Scope,
            ct) is { } overwrite) return overwrite;
        bool self = caller.PrincipalIds.Contains(assignment.PrincipalId, StringComparer.OrdinalIgnoreCase);
        if (self && await WidensAsync(caller, role, scope, ct))
        {
            LogSelfWideningRefused(logger, caller.Principal, role, scope);
            return AzureError.Result(StatusCodes.Status403Forbidden, "AuthorizationFailed",
                $"The caller '{caller.Principal}' cannot give itself (or a group it belongs to) {role} at '{scope}': that would grant permissions it does not hold there.");
        }

        await store.PutAsync(assignment, ct);
        LogGranted(logger, caller.Principal, role, assignment.PrincipalId, scope);
        if (RolePermissions.IsDataPlane(role) && self)
        {
            string? resource = RoleAssignment.ResourceOf(scope);
            await audit.AppendAsync(new AuditEntry(caller.Principal, null, null, "SelfGrantDataPlane", resource, null,
                context.Connection.RemoteIpAddress?.ToString(),
                "Succeeded", 200), ct);
            string grantee = string.Equals(assignment.PrincipalId, caller.Principal, StringComparison.OrdinalIgnoreCase)
                ? "itself" : $"its group {assignment.PrincipalId}";
            await alerts.RaiseAsync(new AlertObservation(AlertResourceOf(scope), AlertKind.SelfGrantedDataPlaneAccess,
                $"Principal {caller.Principal} granted {grantee} the data-plane role {role} at scope {scope} "
                + $"(role assignment {assignment.Id}).", assignment.PrincipalId), ct);
        }

        return Results.Ok(assignment);
    }

    /// <summary>
    /// 403 unless the caller holds AccessManage at a scope containing <paramref name="scope"/>. An assignment that does
    /// not exist (null scope) is refused the same way to anyone who could not have managed it wherever it were: only a
    /// service-wide manager learns that it does not exist.
    /// </summary>
    private async Task<IResult?> RefusedAtAsync(EdgeKvCaller caller, string? scope, CancellationToken ct)
    {
        if (await authorizer.IsAllowedAtScopeAsync(caller, Permission.AccessManage,
            scope ?? RoleAssignment.ServiceScope, ct)) return null;
        return AzureError.Result(StatusCodes.Status403Forbidden, "AuthorizationFailed",
            $"The caller '{caller.Principal}' does not have the AccessManage permission at a scope that contains this role assignment's scope.");
    }

    /// <summary>
    /// True when holding <paramref name="role"/> at <paramref name="scope"/> would give the caller a permission it
    /// lacks there.
    /// </summary>
    private async Task<bool> WidensAsync(EdgeKvCaller caller, EdgeKvRole role, string scope, CancellationToken ct)
    {
        foreach (Permission permission in Enum.GetValues<Permission>().Where(p => RolePermissions.Grants(role, p)))
        {
            if (!await authorizer.IsAllowedAtScopeAsync(caller, permission, scope, ct)) return true;
        }

        return false;
    }

    [LoggerMessage(7040, LogLevel.Information, "{Caller} assigned {Role} to {Principal} at {Scope}.")]
    private static partial void LogGranted(ILogger logger, string caller, EdgeKvRole role, string principal,
        string scope);

    [LoggerMessage(7041, LogLevel.Warning,
        "{Caller} tried to give itself {Role} at {Scope}, beyond what it holds there; refused.")]
    private static partial void LogSelfWideningRefused(ILogger logger, string caller, EdgeKvRole role, string scope);
}
