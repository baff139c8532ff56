using EdgeKv.Functions.Security;
using EdgeKv.FunctionsHost;
using Microsoft.AspNetCore.Routing;

namespace EdgeKv.Local.Security;

/// <summary>
/// The local host's enforcement: reads the declaration the endpoint carries (the function method's <see
/// cref="RequiresPermissionAttribute"/>, or a host route's convention) and hands it to <see cref="PermissionGate"/>.
/// </summary>
public sealed class EdgeKvAuthorizationMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, PermissionGate gate)
    {
        Endpoint? endpoint = context.GetEndpoint();
        if (endpoint is null)
        {
            await next(context);
            return;
        }

        var request = new GateRequest(
            endpoint.Metadata.GetMetadata<RequiresPermissionAttribute>(),
            endpoint.Metadata.GetMetadata<AuthenticatedByAttribute>() is not null,
            HttpFunctionEndpoints.IsMethodRejection(endpoint),
            $"{context.Request.Method} {(endpoint as RouteEndpoint)?.RoutePattern.RawText ?? context.Request.Path.Value}",
            key => context.GetRouteValue(key) as string);
        IResult? refusal = await gate.InvokeAsync(context, request, async () =>
        {
            await next(context);
            return context.Response.StatusCode;
        });
        if (refusal is not null) await refusal.ExecuteAsync(context);
    }
}
