using EdgeKv.Functions.Device;
using EdgeKv.Functions.Http;
using Microsoft.Extensions.Options;
using EdgeKv.Records.Security;

namespace EdgeKv.Functions.Security;

/// <summary>
/// Enforces a function's <see cref="RequiresPermissionAttribute"/>, wherever it runs: 401 with a
/// <c>WWW-Authenticate</c> challenge for a missing or bad credential, 403 for a known caller without the permission on
/// that resource (whether the resource exists or not), an audit record for every decision. A function that declares
/// nothing is refused; a request whose method the route does not serve answers 405 (with <c>Allow</c>) to an
/// authenticated caller only. The caller must already be authenticated onto <see cref="HttpContext.User"/>.
/// </summary>
public sealed partial class PermissionGate(EdgeKvAuthorizer authorizer, AuditTrail audit,
    IOptions<EdgeKvAuthenticationOptions> options, ILogger<PermissionGate> logger)
{
    /// <param name="next">Runs the function; returns the status code it answered.</param>
    public async Task<IResult?> InvokeAsync(HttpContext context, GateRequest request, Func<Task<int>> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(next);
        if (request.OwnCredential)
        {
            await next();
            return null;
        }

        RequiresPermissionAttribute? required = request.Required;
        EdgeKvCaller? caller = EdgeKvCaller.From(context.User);
        if (required is null && !request.MethodNotAllowed)
        {
            LogUndeclared(logger, request.Operation);
            return AzureError.Result(StatusCodes.Status403Forbidden, "AuthorizationFailed",
                "This endpoint declares no permission; it is refused.");
        }

        if (caller is null && context.Items[EdgeKvAuthenticationHandler.AuthorityUnavailableItem] is TimeSpan retryAfter)
        {
            // Not the caller's fault, and passing: no challenge, a 503 to retry later.
            int seconds = (int)Math.Ceiling(retryAfter.TotalSeconds);
            LogUnauthenticated(logger, request.Operation, EdgeKvAuthenticationHandler.AuthorityUnavailableCode);
            return DependencyFailures.ServiceUnavailable(EdgeKvAuthenticationHandler.AuthorityUnavailableCode,
                $"EdgeKv cannot check the bearer token: its token authority (Microsoft Entra ID) cannot be reached; retry after {seconds} seconds.", seconds);
        }

        if (caller is null)
        {
            string code = context.Items[EdgeKvAuthenticationHandler.FailureItem] as string ?? "AuthenticationFailed";
            string audience = options.Value.Audience;
            context.Response.Headers.WWWAuthenticate = required?.Permission == Permission.DeviceSelf
                ? $"{DeviceCredentials.Scheme} realm=\"edgekv-device\""
                : context.Items.ContainsKey(EdgeKvAuthenticationHandler.FailureItem)
                    ? $"Bearer realm=\"edgekv\", resource_id=\"{audience}\", error=\"invalid_token\", error_description=\"{code}\""
                    : $"Bearer realm=\"edgekv\", resource_id=\"{audience}\"";
            LogUnauthenticated(logger, request.Operation, code);
            return AzureError.Result(StatusCodes.Status401Unauthorized, code,
                "Authentication is required: an Entra ID bearer token for EdgeKv (or a device credential on device routes).");
        }

        if (required is null)
        {
            // Authenticated, wrong method: routing's own 405 answers, with the methods the route serves in Allow.
            await next();
            return null;
        }

        string? scope = null;
        if (required.Scope == ActionScope.QueryScope && (scope = RequestScope.Read(context.Request)) is null) return RequestScope.Invalid();
        string? resource = required.ResourceRouteValue is { } key ? request.RouteValue(key) : null;
        string? secret = request.RouteValue("secret") ?? required.FormatAuditObject(request.RouteValue);
        string? ip = context.Connection.RemoteIpAddress?.ToString();
        string? role = caller.AppRoles.Count > 0 ? string.Join(',', caller.AppRoles) : null;
        if (!await authorizer.IsAllowedAsync(caller, required, resource, scope, context.RequestAborted))
        {
            LogForbidden(logger, caller.Principal, request.Operation, required.Permission);
            await TryAuditAsync(new AuditEntry(caller.Principal, role, caller.DeviceResource, request.Operation,
                resource, secret, ip, "Denied", 403));
            return Refusal(caller, required, scope);
        }

        int status = await next();
        if (required.Audited)
        {
            await TryAuditAsync(new AuditEntry(caller.Principal, role, caller.DeviceResource, request.Operation,
                resource, secret, ip, status < 400 ? "Succeeded" : "Failed", status));
        }

        return null;
    }

    /// <summary>
    /// The 403: Azure's <c>AuthorizationFailed</c>, naming the scope the action needed. A token whose groups were left
    /// out (group overage) gets its own code: EdgeKv does not call Microsoft Graph, so assignments to its groups cannot
    /// apply.
    /// </summary>
    private static IResult Refusal(EdgeKvCaller caller, RequiresPermissionAttribute required, string? requestScope)
    {
        if (caller.GroupsOverage)
        {
            return AzureError.Result(StatusCodes.Status403Forbidden, "GroupsOverageNotSupported",
                $"The caller '{caller.Principal}' does not have the {required.Permission} permission itself, and its token names too many groups to "
                + "carry them (group overage); EdgeKv does not look group memberships up in Microsoft Graph. Assign the role to the principal, "
                + "or to fewer groups (or use an app role).");
        }

        string scope = required.Scope switch
        {
            ActionScope.Service => "the service scope ('/')",
            ActionScope.Resource => "this resource's scope (the resource, its resource group or '/')",
            ActionScope.QueryScope => $"the scope the request reads at ('{requestScope}'; name a narrower one with ?scope=)",
            _ => "any scope",
        };
        return AzureError.Result(StatusCodes.Status403Forbidden, "AuthorizationFailed",
            $"The caller '{caller.Principal}' does not have the {required.Permission} permission at {scope} (or the scope is invalid).");
    }

    private async Task TryAuditAsync(AuditEntry entry)
    {
        try
        {
            await audit.AppendAsync(entry);
        }
        catch (AuditUnavailableException)
        {
            LogAuditLost(logger, entry.Operation);
        }
    }

    [LoggerMessage(7020, LogLevel.Warning, "{Operation} declares no permission; refused.")]
    private static partial void LogUndeclared(ILogger logger, string operation);

    [LoggerMessage(7021, LogLevel.Information, "{Operation} refused: not authenticated ({Code}).")]
    private static partial void LogUnauthenticated(ILogger logger, string operation, string code);

    [LoggerMessage(7022, LogLevel.Information,
        "{Operation} refused to {Principal}: no {Permission} permission at this scope.")]
    private static partial void LogForbidden(ILogger logger, string principal, string operation, Permission permission);

    [LoggerMessage(7023, LogLevel.Error, "Audit record for {Operation} lost after the response was sent.")]
    private static partial void LogAuditLost(ILogger logger, string operation);
}

/// <summary>
/// What the gate needs to know of one request: the declaration (if any), the operation's name for the audit trail, its
/// route values.
/// </summary>
public sealed record GateRequest(RequiresPermissionAttribute? Required, bool OwnCredential, bool MethodNotAllowed,
    string Operation, Func<string, string?> RouteValue);
