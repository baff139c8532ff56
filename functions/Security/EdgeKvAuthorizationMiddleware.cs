using EdgeKv.Functions.Device;
using EdgeKv.Functions.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace EdgeKv.Functions.Security;

/// <summary>
/// Enforces each endpoint's <see cref="EdgeKvPermissionMetadata"/>: 401 with a <c>WWW-Authenticate</c> challenge for a
/// missing or bad credential, 403 for a known caller without the permission on that resource (whether the resource
/// exists or not), and an audit record for every decision. Endpoints that declare nothing are refused.
/// </summary>
public sealed partial class EdgeKvAuthorizationMiddleware(RequestDelegate next, ILogger<EdgeKvAuthorizationMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context, EdgeKvAuthorizer authorizer, AuditTrail audit, IOptions<EdgeKvAuthenticationOptions> options)
    {
        Endpoint? endpoint = context.GetEndpoint();
        if (endpoint is null || endpoint.Metadata.GetMetadata<EdgeKvOwnCredentialMetadata>() is not null)
        {
            await next(context);
            return;
        }

        string operation = Operation(context, endpoint);
        EdgeKvPermissionMetadata? required = endpoint.Metadata.GetMetadata<EdgeKvPermissionMetadata>();
        if (required is null)
        {
            LogUndeclared(logger, operation);
            await AzureError.Result(StatusCodes.Status403Forbidden, "AuthorizationFailed", "This endpoint declares no permission; it is refused.").ExecuteAsync(context);
            return;
        }

        EdgeKvCaller? caller = EdgeKvCaller.From(context.User);
        if (caller is null)
        {
            string code = context.Items[EdgeKvAuthenticationHandler.FailureItem] as string ?? "AuthenticationFailed";
            string audience = options.Value.Audience;
            context.Response.Headers.WWWAuthenticate = required.Permission == Permission.DeviceSelf
                ? $"{DeviceCredentials.Scheme} realm=\"edgekv-device\""
                : context.Items.ContainsKey(EdgeKvAuthenticationHandler.FailureItem)
                    ? $"Bearer realm=\"edgekv\", resource_id=\"{audience}\", error=\"invalid_token\", error_description=\"{code}\""
                    : $"Bearer realm=\"edgekv\", resource_id=\"{audience}\"";
            LogUnauthenticated(logger, operation, code);
            await AzureError.Result(StatusCodes.Status401Unauthorized, code, "Authentication is required: an Entra ID bearer token for EdgeKv (or a device credential on device routes).")
                .ExecuteAsync(context);
            return;
        }

        string? resource = required.ResourceRouteValue is { } key ? context.GetRouteValue(key) as string : null;
        string? secret = context.GetRouteValue("secret") as string;
        string? ip = context.Connection.RemoteIpAddress?.ToString();
        string? role = caller.AppRoles.Count > 0 ? string.Join(',', caller.AppRoles) : null;
        if (!await authorizer.IsAllowedAsync(caller, required.Permission, resource, context.RequestAborted))
        {
            LogForbidden(logger, caller.Principal, operation, required.Permission);
            await TryAuditAsync(audit, new AuditEntry(caller.Principal, role, caller.DeviceResource, operation, resource, secret, ip, "Denied", 403));
            await AzureError.Result(StatusCodes.Status403Forbidden, "AuthorizationFailed",
                $"The caller '{caller.Principal}' does not have the {required.Permission} permission at this scope (or the scope is invalid).").ExecuteAsync(context);
            return;
        }

        await next(context);
        if (required.Audited)
        {
            int status = context.Response.StatusCode;
            await TryAuditAsync(audit, new AuditEntry(caller.Principal, role, caller.DeviceResource, operation, resource, secret, ip, status < 400 ? "Succeeded" : "Failed", status));
        }
    }

    private async Task TryAuditAsync(AuditTrail audit, AuditEntry entry)
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

    private static string Operation(HttpContext context, Endpoint endpoint) =>
        $"{context.Request.Method} {(endpoint as RouteEndpoint)?.RoutePattern.RawText ?? context.Request.Path.Value}";

    [LoggerMessage(7020, LogLevel.Warning, "{Operation} declares no permission; refused.")]
    private static partial void LogUndeclared(ILogger logger, string operation);

    [LoggerMessage(7021, LogLevel.Information, "{Operation} refused: not authenticated ({Code}).")]
    private static partial void LogUnauthenticated(ILogger logger, string operation, string code);

    [LoggerMessage(7022, LogLevel.Information, "{Operation} refused to {Principal}: no {Permission} permission at this scope.")]
    private static partial void LogForbidden(ILogger logger, string principal, string operation, Permission permission);

    [LoggerMessage(7023, LogLevel.Error, "Audit record for {Operation} lost after the response was sent.")]
    private static partial void LogAuditLost(ILogger logger, string operation);
}
