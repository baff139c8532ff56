using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeKv.FunctionsHost;

/// <summary>
/// Serves each HTTP function of the catalog on <c>/{routePrefix}/{route}</c> (host.json
/// <c>extensions.http.routePrefix</c>, default <c>api</c>) for its methods. Each endpoint carries the function's <see
/// cref="FunctionDescriptor"/> and the method's attributes as metadata, so the app's middleware can enforce what the
/// method declares; a request with another method reaches routing's 405 endpoint (see <see cref="IsMethodRejection"/>).
/// A function turned off by <see cref="FunctionDisabledSetting"/> is not served, as the Functions host does not route
/// it.
/// </summary>
public static class HttpFunctionEndpoints
{
    public const string RoutePrefixSetting = "extensions:http:routePrefix";

    public static IEndpointRouteBuilder MapHttpFunctions(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        FunctionCatalog catalog = app.ServiceProvider.GetRequiredService<FunctionCatalog>();
        DurableClientBinding.RefuseUnbuildableClasses(catalog.Functions, app.ServiceProvider);
        IConfiguration configuration = app.ServiceProvider.GetRequiredService<IConfiguration>();
        string prefix = RoutePrefix(configuration);
        foreach (FunctionDescriptor function in catalog.Functions.Where(f => f.Trigger == FunctionTriggerKind.HttpTrigger
                     && !FunctionDisabledSetting.IsDisabled(configuration, f.Name)))
        {
            string pattern = "/" + string.Join('/',
                new[] { prefix, function.Route }.Where(s => !string.IsNullOrEmpty(s)));
            Delegate handler = (HttpContext context) => RunAsync(context, function);
            RouteHandlerBuilder endpoint = function.HttpMethods.Count == 0 ? app.Map(pattern,
                handler) : app.MapMethods(pattern, function.HttpMethods, handler);
            endpoint.WithName(function.Name).WithMetadata(function).WithMetadata([.. function.Attributes]);
        }

        return app;
    }

    /// <summary>
    /// The route prefix as the Functions host reads it: <c>api</c> unless host.json says otherwise (empty allowed).
    /// </summary>
    public static string RoutePrefix(IConfiguration configuration) => (configuration?[RoutePrefixSetting] ?? "api").Trim('/');

    /// <summary>
    /// The endpoint routing picks when a route matches but not the method (it answers 405 with <c>Allow</c>).
    /// </summary>
    public static bool IsMethodRejection(Endpoint endpoint) =>
        endpoint is not RouteEndpoint && endpoint?.DisplayName?.StartsWith("405 ", StringComparison.Ordinal) == true;

    private static async Task RunAsync(HttpContext context, FunctionDescriptor function)
    {
        if (function.AuthorizationLevel != AuthorizationLevel.Anonymous)
        {
            string? key = context.Request.Query["code"].FirstOrDefault() ?? context.Request.Headers["x-functions-key"].FirstOrDefault();
            if (context.RequestServices.GetService<IFunctionKeyVerifier>() is not { } keys || !keys.Verify(function.Name, function.AuthorizationLevel, key))
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers.WWWAuthenticate = $"FunctionsKey realm=\"{function.Name}\"";
                return;
            }
        }

        object?[] arguments = FunctionBinder.Bind(function, context.RequestServices, context, timer: null,
            context.RequestAborted);
        object? result = await FunctionInvoker.InvokeAsync(function, context.RequestServices, arguments);
        switch (result)
        {
            case IResult httpResult:
                await httpResult.ExecuteAsync(context);
                break;
            case IActionResult actionResult:
                await actionResult.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(),
                    new ActionDescriptor()));
                break;
            case null:
                break;
            default:
                await Results.Ok(result).ExecuteAsync(context);
                break;
        }
    }
}
