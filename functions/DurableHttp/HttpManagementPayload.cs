using System.Text.Json.Serialization;
using EdgeKv.Functions.Http;

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
    /// <summary>
    /// EdgeKv's instance API (<see cref="InstanceManagementFunctions"/>), opened by EdgeKv's tokens. The links never
    /// name the host's <c>/runtime/webhooks/durabletask</c>: that needs the host's system key, which callers do not
    /// hold and which no link may carry.
    /// </summary>
    public const string RoutePrefix = "/api/durabletask";

    public static HttpManagementPayload For(HttpRequest request, string instanceId)
    {
        ArgumentNullException.ThrowIfNull(request);
        string instance = $"{request.Scheme}://{request.Host}{request.PathBase}{RoutePrefix}/instances/{Uri.EscapeDataString(instanceId)}";
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
    public static IResult CheckStatusResponse(HttpRequest request, string instanceId)
    {
        HttpManagementPayload payload = For(request, instanceId);
        return new AcceptedJsonResult(payload, payload.StatusQueryGetUri);
    }
}
