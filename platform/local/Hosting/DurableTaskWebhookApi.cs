using EdgeKv.Functions.DurableHttp;
using EdgeKv.Functions.Http;
using EdgeKv.Functions.Security;
using EdgeKv.Functions.Validation;
using EdgeKv.FunctionsHost;
using EdgeKv.Local.Security;
using Microsoft.DurableTask.Client;

namespace EdgeKv.Local.Hosting;

/// <summary>
/// <c>/runtime/webhooks/durabletask</c> as the Functions host serves it: the Durable extension's built-in instance API,
/// opened only by the host's <c>durabletask_extension</c> system key (<c>code</c> query parameter or
/// <c>x-functions-key</c> header) and blind to EdgeKv's tokens and roles: a bearer token gets 401. The real host also
/// takes its master key, which the local host does not have. EdgeKv's own API, with its tokens and per-flow rules, is
/// under <c>/api/durabletask</c>, where every link points.
/// </summary>
public static class DurableTaskWebhookApi
{
    public const string RoutePrefix = "/runtime/webhooks/durabletask";

    /// <summary>
    /// The host's key for the Durable extension's webhooks (by the host's convention, <c>{extension}_extension</c>).
    /// </summary>
    public const string KeyName = "durabletask_extension";

    public static IEndpointRouteBuilder MapDurableTaskWebhookApi(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder api = app.MapGroup(RoutePrefix).AuthenticatedBy($"the host's {KeyName} system key").AddEndpointFilter(async (context, next) =>
        {
            HttpContext http = context.HttpContext;
            string? key = http.Request.Query["code"].FirstOrDefault() ?? http.Request.Headers["x-functions-key"].FirstOrDefault();
            if (!http.RequestServices.GetRequiredService<SystemKeyStore>().Verify(KeyName, key))
            {
                http.Response.Headers.WWWAuthenticate = $"FunctionsKey realm=\"{KeyName}\"";
                return AzureError.Result(StatusCodes.Status401Unauthorized, "Unauthorized",
                    $"This is the host's API: it needs the host's {KeyName} system key. EdgeKv's own is under {HttpManagementPayload.RoutePrefix}.");
            }

            return await next(context);
        });
        api.MapPost("/orchestrators/{name}/{instanceId?}",
            (string name, string? instanceId, HttpContext http, OrchestrationRules rules, CancellationToken ct) =>
            DurableTaskHttpApi.StartAsync(name, instanceId, http, Client(http), rules, ct));
        api.MapGet("/instances/{instanceId}", (string instanceId, HttpContext http, CancellationToken ct) =>
            DurableTaskHttpApi.GetStatusAsync(instanceId, http.Request, Client(http), ct));
        api.MapGet("/instances",
            (HttpContext http, CancellationToken ct) => DurableTaskHttpApi.QueryAsync(http, Client(http), ct));
        api.MapDelete("/instances/{instanceId}",
            (string instanceId, HttpContext http, CancellationToken ct) => PurgeAsync(instanceId, Client(http), ct));
        api.MapPost("/instances/{instanceId}/terminate", (string instanceId, HttpContext http, CancellationToken ct) =>
            SignalAsync(instanceId, Client(http), c => c.TerminateInstanceAsync(instanceId, Reason(http), ct), ct));
        api.MapPost("/instances/{instanceId}/suspend", (string instanceId, HttpContext http, CancellationToken ct) =>
            SignalAsync(instanceId, Client(http), c => c.SuspendInstanceAsync(instanceId, Reason(http), ct), ct));
        api.MapPost("/instances/{instanceId}/resume", (string instanceId, HttpContext http, CancellationToken ct) =>
            SignalAsync(instanceId, Client(http), c => c.ResumeInstanceAsync(instanceId, Reason(http), ct), ct));
        return app;
    }

    /// <summary>The host's own client, the one its <c>[DurableClient]</c> bindings get.</summary>
    private static DurableTaskClient Client(HttpContext http) => DurableClientBinding.GetClient(http.RequestServices);

    private static string? Reason(HttpContext http) => http.Request.Query["reason"].FirstOrDefault();

    private static async Task<IResult> PurgeAsync(string instanceId, DurableTaskClient client, CancellationToken ct)
    {
        if (IdentifierRules.CheckId(instanceId, "instance id", "InvalidInstanceId") is { } badId) return badId;
        OrchestrationMetadata? metadata = await client.GetInstanceAsync(instanceId, cancellation: ct);
        if (metadata is null) return AzureError.NotFound("InstanceNotFound",
            $"No instance with id '{instanceId}' exists.");
        if (!metadata.IsCompleted) return AzureError.Conflict("InstanceNotFinished",
            $"Instance '{instanceId}' is {metadata.RuntimeStatus}; terminate it before purging.");
        PurgeResult purged = await client.PurgeInstanceAsync(instanceId, cancellation: ct);
        return Results.Json(new { instancesDeleted = purged.PurgedInstanceCount });
    }

    private static async Task<IResult> SignalAsync(string instanceId, DurableTaskClient client,
        Func<DurableTaskClient, Task> send, CancellationToken ct)
    {
        if (IdentifierRules.CheckId(instanceId, "instance id", "InvalidInstanceId") is { } badId) return badId;
        OrchestrationMetadata? metadata = await client.GetInstanceAsync(instanceId, cancellation: ct);
        if (metadata is null) return AzureError.NotFound("InstanceNotFound",
            $"No instance with id '{instanceId}' exists.");
        if (metadata.IsCompleted) return AzureError.Gone("InstanceCompleted",
            $"Instance '{instanceId}' already finished ({metadata.RuntimeStatus}).");
        await send(client);
        return Results.Accepted();
    }
}
