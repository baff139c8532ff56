using System.Text.Json.Serialization;
using EdgeKv.Functions.Http;
using Microsoft.DurableTask.Client;

namespace EdgeKv.Functions.DurableHttp;

/// <summary>
/// The check-status payload Durable Functions returns from a starter: where to poll, and how to send events,
/// terminate, purge, restart, suspend and resume the instance.
/// </summary>
public sealed record HttpManagementPayload(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("statusQueryGetUri")] string StatusQueryGetUri,
    [property: JsonPropertyName("sendEventPostUri")] string SendEventPostUri,
    [property: JsonPropertyName("terminatePostUri")] string TerminatePostUri,
    [property: JsonPropertyName("purgeHistoryDeleteUri")] string PurgeHistoryDeleteUri,
    [property: JsonPropertyName("restartPostUri")] string RestartPostUri,
    [property: JsonPropertyName("suspendPostUri")] string SuspendPostUri,
    [property: JsonPropertyName("resumePostUri")] string ResumePostUri)
{
    public const string RoutePrefix = "/runtime/webhooks/durabletask";

    /// <summary>The same API as functions (<see cref="InstanceManagementFunctions"/>), where the Functions host owns <see cref="RoutePrefix"/>.</summary>
    public const string FunctionsRoutePrefix = "/api/durabletask";

    public static HttpManagementPayload For(HttpRequest request, string instanceId, DurableTaskClient? client = null)
    {
        string instance = $"{request.Scheme}://{request.Host}{request.PathBase}{BasePath(client)}/instances/{Uri.EscapeDataString(instanceId)}";
        return new HttpManagementPayload(
            instanceId,
            instance,
            $"{instance}/raiseEvent/{{eventName}}",
            $"{instance}/terminate?reason={{text}}",
            instance,
            $"{instance}/restart",
            $"{instance}/suspend?reason={{text}}",
            $"{instance}/resume?reason={{text}}");
    }

    /// <summary>202 Accepted with the payload and a Location header to poll: what every HTTP starter answers.</summary>
    public static IResult CheckStatusResponse(HttpRequest request, string instanceId, DurableTaskClient? client = null)
    {
        HttpManagementPayload payload = For(request, instanceId, client);
        return new AcceptedJsonResult(payload, payload.StatusQueryGetUri);
    }

    /// <summary>
    /// Where EdgeKv's instance API is. The local host serves it at <see cref="RoutePrefix"/>, where Durable Functions'
    /// tooling looks. Under the Functions host (Azure) that path is the host's own built-in API, keyed by its system key
    /// and blind to EdgeKv's roles, so the links name the functions under <see cref="FunctionsRoutePrefix"/>, which enforce
    /// them. The client the host binds is the sign (its type is internal to the Durable extension, hence the name).
    /// </summary>
    public static string BasePath(DurableTaskClient? client) =>
        client?.GetType().FullName == "Microsoft.Azure.Functions.Worker.FunctionsDurableTaskClient" ? FunctionsRoutePrefix : RoutePrefix;
}
