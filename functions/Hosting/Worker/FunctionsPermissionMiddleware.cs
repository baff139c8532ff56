using System.Collections.Concurrent;
using System.Reflection;
using EdgeKv.Functions.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace EdgeKv.Functions.Hosting.Worker;

/// <summary>
/// Azure's enforcement, in the isolated worker: authenticates the caller of an HTTP function with EdgeKv's scheme, then
/// hands the method's <see cref="RequiresPermissionAttribute"/> to <see cref="PermissionGate"/> (the same gate and the
/// same attribute the local host uses). A refusal becomes the invocation's result, which the ASP.NET Core integration
/// writes.
/// </summary>
public sealed class FunctionsPermissionMiddleware(PermissionGate gate) : IFunctionsWorkerMiddleware
{
    private static readonly ConcurrentDictionary<string, MethodInfo?> Methods = new();

    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        HttpContext? http = context.GetHttpContext();
        if (http is null)
        {
            await next(context); // timers, orchestrators, activities: no caller to check
            return;
        }

        MethodInfo? method = Methods.GetOrAdd(context.FunctionDefinition.EntryPoint, MethodOf);
        AuthenticateResult authentication = await http.AuthenticateAsync(EdgeKvAuthenticationHandler.SchemeName);
        if (authentication.Succeeded) http.User = authentication.Principal;

        string route = method?.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(a => a is not null)?.Route ?? context.FunctionDefinition.Name;
        var request = new GateRequest(
            method?.GetCustomAttribute<RequiresPermissionAttribute>(),
            method?.GetCustomAttribute<AuthenticatedByAttribute>() is not null,
            MethodNotAllowed: false,
            $"{http.Request.Method} /api/{route}",
            key => context.BindingContext.BindingData.TryGetValue(key, out object? value) ? value?.ToString() : null);
        IResult? refusal = await gate.InvokeAsync(http, request, async () =>
        {
            await next(context);
            return StatusOf(context.GetInvocationResult().Value) ?? http.Response.StatusCode;
        });
        if (refusal is not null) context.GetInvocationResult().Value = refusal;
    }

    private static int? StatusOf(object? result) => result switch
    {
        IStatusCodeHttpResult { StatusCode: int status } => status,
        IStatusCodeActionResult { StatusCode: int status } => status,
        _ => null,
    };

    /// <summary>The method behind an entry point (<c>Namespace.Type.Method</c>) of this assembly.</summary>
    private static MethodInfo? MethodOf(string entryPoint)
    {
        int dot = entryPoint.LastIndexOf('.');
        return dot < 0 ? null : typeof(FunctionsPermissionMiddleware).Assembly.GetType(entryPoint[..dot])?.GetMethod(entryPoint[(dot + 1)..]);
    }
}
