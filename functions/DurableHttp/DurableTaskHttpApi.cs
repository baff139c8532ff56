using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using DurableTask.Core.Exceptions;
using DurableTask.Core.History;
using EdgeKv.Tasks;
using EdgeKv.Functions.Http;
using EdgeKv.Functions.Validation;
using EdgeKv.Functions.Security;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using EdgeKv.Records.Security;

namespace EdgeKv.Functions.DurableHttp;

/// <summary>
/// The Durable Functions instance-management HTTP API (same routes, payloads and status codes as the Durable
/// extension's <c>/runtime/webhooks/durabletask</c>), over the SDK's <see cref="DurableTaskClient"/>, served by <see
/// cref="InstanceManagementFunctions"/> under <c>/api/durabletask</c>. Every start and every control of an instance
/// goes through <see cref="OrchestrationRules"/>: only flows the table opens may be started here (with the same input
/// rule as their starter), and controlling an instance needs the permission of its flow's own starter.
/// </summary>
public static class DurableTaskHttpApi
{
    public static async Task<IResult> StartAsync(string name, string? instanceId, HttpContext http,
        DurableTaskClient client, OrchestrationRules rules, CancellationToken ct)
    {
        if (rules.Find(name) is not { } rule) return AzureError.NotFound("OrchestratorNotFound",
            $"No orchestrator named '{name}' is registered.");
        if (!rule.StartableThroughApi)
        {
            return AzureError.Result(StatusCodes.Status403Forbidden, "StartThroughStarter",
                $"Orchestration '{rule.Name}' is started only by its own HTTP starter, which checks more than its input.");
        }

        if (instanceId is not null && IdentifierRules.CheckId(instanceId, "instance id",
            "InvalidInstanceId") is { } badId) return badId;
        (JsonElement? input, IResult? error) = await ReadJsonBodyAsync(http.Request, ct);
        if (error is not null) return error;
        if (rule.InputProblem(input) is { } inputProblem) return AzureError.BadRequest("InvalidInput", inputProblem);
        try
        {
            string id = await client.ScheduleNewOrchestrationInstanceAsync(rule.Name, input,
                new StartOrchestrationOptions(instanceId), ct);
            return HttpManagementPayload.CheckStatusResponse(http.Request, id);
        }
        catch (OrchestrationAlreadyExistsException ex)
        {
            return AzureError.Conflict("InstanceAlreadyExists", ex.Message);
        }
    }

    public static async Task<IResult> GetStatusAsync(string instanceId, HttpRequest request, DurableTaskClient client,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(client);
        if (IdentifierRules.CheckId(instanceId, "instance id", "InvalidInstanceId") is { } badId) return badId;
        if (!TryBool(request, "showHistory", false, out bool showHistory, out IResult? bad)
            || !TryBool(request, "showHistoryOutput", false, out bool showHistoryOutput, out bad)
            || !TryBool(request, "showInput", true, out bool showInput, out bad))
        {
            return bad!;
        }

        OrchestrationMetadata? metadata = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, ct);
        if (metadata is null) return AzureError.NotFound("InstanceNotFound",
            $"No instance with id '{instanceId}' exists.");
        JsonArray? history = null;
        if (showHistory)
        {
            try
            {
                history = HistoryView.From(await client.GetOrchestrationHistoryAsync(instanceId, ct),
                    showHistoryOutput);
            }
            catch (Exception ex) when (ex is NotSupportedException or NotImplementedException
                || (ex is Grpc.Core.RpcException rpc && rpc.StatusCode == Grpc.Core.StatusCode.Unimplemented))
            {
                // Never silently without it: the caller asked for the history and is told this host cannot give it.
                return AzureError.Result(StatusCodes.Status501NotImplemented, "HistoryNotSupported",
                    "This host's Durable client cannot read an instance's history; ask again without showHistory.");
            }
        }

        InstanceStatus status = InstanceStatus.From(metadata, showInput, history);
        return metadata.IsCompleted
            ? Results.Json(status)
            : new AcceptedJsonResult(status, $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}");
    }

    public static async Task<IResult> QueryAsync(HttpContext context, DurableTaskClient client, CancellationToken ct)
    {
        HttpRequest request = context.Request;
        if (!InstanceFilter.TryRead(request, out InstanceFilter? filter, out IResult? bad)) return bad!;
        if (!TryBool(request, "showInput", false, out bool showInput, out bad)) return bad!;
        int top = 100;
        if (request.Query.TryGetValue("top",
            out var topText) && (!int.TryParse(topText, NumberStyles.None, CultureInfo.InvariantCulture,
                out top) || top is < 1 or > 1000))
        {
            return AzureError.BadRequest("InvalidQueryParameter", "top must be a whole number from 1 to 1000.");
        }

        var query = new OrchestrationQuery(filter!.CreatedFrom, filter.CreatedTo, filter.Statuses, null,
            filter.InstanceIdPrefix, top, showInput,
            request.Headers["x-ms-continuation-token"].FirstOrDefault());
        try
        {
            await foreach (Page<OrchestrationMetadata> page in client.GetAllInstancesAsync(query).AsPages(query.ContinuationToken, top).WithCancellation(ct))
            {
                if (page.ContinuationToken is { Length: > 0 } next) context.Response.Headers["x-ms-continuation-token"] = next;
                return Results.Json(page.Values.Select(m => InstanceStatus.From(m, showInput)).ToArray());
            }

            return Results.Json(Array.Empty<InstanceStatus>());
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or JsonException or InvalidOperationException)
        {
            return AzureError.BadRequest("InvalidContinuationToken", "The continuation token is not valid.");
        }
    }

    internal static async Task<IResult> PurgeAsync(string instanceId, HttpContext http, DurableTaskClient client,
        OrchestrationRules rules, EdgeKvAuthorizer authorizer, CancellationToken ct)
    {
        if (IdentifierRules.CheckId(instanceId, "instance id", "InvalidInstanceId") is { } badId) return badId;
        OrchestrationMetadata? metadata = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, ct);
        if (metadata is null) return AzureError.NotFound("InstanceNotFound",
            $"No instance with id '{instanceId}' exists.");
        if (await RefusedAsync(metadata, http, rules, authorizer, ct) is { } refused) return refused;
        if (!metadata.IsCompleted) return AzureError.Conflict("InstanceNotFinished",
            $"Instance '{instanceId}' is {metadata.RuntimeStatus}; terminate it before purging.");
        PurgeResult purged = await client.PurgeInstanceAsync(instanceId, cancellation: ct);
        return Results.Json(new { instancesDeleted = purged.PurgedInstanceCount });
    }

    /// <summary>
    /// Purges finished instances by filter. As in Durable Functions <c>createdTimeFrom</c> is required; a filter that
    /// selects every finished instance (no <c>createdTimeTo</c> and no <c>runtimeStatus</c>) is refused unless the
    /// request says <c>purgeAll=true</c>. Purging by filter needs the permission of every flow (the security team's).
    /// </summary>
    internal static async Task<IResult> PurgeManyAsync(HttpContext http, DurableTaskClient client,
        OrchestrationRules rules, EdgeKvAuthorizer authorizer, CancellationToken ct)
    {
        HttpRequest request = http.Request;
        if (!InstanceFilter.TryRead(request, out InstanceFilter? filter, out IResult? bad)) return bad!;
        if (!TryBool(request, "purgeAll", false, out bool purgeAll, out bad)) return bad!;
        if (filter!.CreatedFrom is null) return AzureError.BadRequest("InvalidQueryParameter",
            "createdTimeFrom is required to purge instances.");
        if (filter.CreatedTo is null && filter.Statuses.Count == 0 && !purgeAll)
        {
            return AzureError.BadRequest("PurgeAllNotConfirmed",
                "This filter selects every finished instance; add createdTimeTo or runtimeStatus, or purgeAll=true to mean it.");
        }

        if (filter.Statuses.Any(s => s is not (OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated)))
        {
            return AzureError.BadRequest("InvalidQueryParameter",
                "Only Completed, Failed or Terminated instances can be purged.");
        }

        if (EdgeKvCaller.From(http.User) is not { } caller || !await AllowedEverywhereAsync(caller, rules, authorizer,
            ct))
        {
            return AzureError.Result(StatusCodes.Status403Forbidden, "AuthorizationFailed",
                "Purging by filter needs the permission of every flow's starter.");
        }

        IReadOnlyList<OrchestrationRuntimeStatus> statuses = filter.Statuses.Count > 0
            ? filter.Statuses
            : [OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed,
                OrchestrationRuntimeStatus.Terminated];
        PurgeResult purged = await client.PurgeAllInstancesAsync(new PurgeInstancesFilter(filter.CreatedFrom,
            filter.CreatedTo, statuses), cancellation: ct);
        return purged.PurgedInstanceCount == 0
            ? AzureError.NotFound("NoInstancesPurged", "No finished instance matched the filter.")
            : Results.Json(new { instancesDeleted = purged.PurgedInstanceCount });
    }

    internal static async Task<IResult> RaiseEventAsync(string instanceId, string eventName, HttpContext http,
        DurableTaskClient client, OrchestrationRules rules,
        EdgeKvAuthorizer authorizer, CancellationToken ct)
    {
        (JsonElement? payload, IResult? error) = await ReadJsonBodyAsync(http.Request, ct);
        if (error is not null) return error;
        return await SignalAsync(instanceId, http, client, rules, authorizer, (c, rule) => rule.StartableThroughApi
            ? c.RaiseEventAsync(instanceId, eventName, payload, ct)
            : throw new UnauthorizedAccessException($"Events reach '{rule.Name}' only through its own API."), ct);
    }

    internal static async Task<IResult> RestartAsync(string instanceId, HttpContext http, DurableTaskClient client,
        OrchestrationRules rules, EdgeKvAuthorizer authorizer, CancellationToken ct)
    {
        if (IdentifierRules.CheckId(instanceId, "instance id", "InvalidInstanceId") is { } badId) return badId;
        if (!TryBool(http.Request, "restartWithNewInstanceId", true, out bool newId, out IResult? bad)) return bad!;
        OrchestrationMetadata? metadata = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, ct);
        if (metadata is null) return AzureError.NotFound("InstanceNotFound",
            $"No instance with id '{instanceId}' exists.");
        if (await RefusedAsync(metadata, http, rules, authorizer, ct) is { } refused) return refused;
        OrchestrationRule rule = rules.Find(metadata.Name)!;
        if (!rule.StartableThroughApi)
        {
            return AzureError.Result(StatusCodes.Status403Forbidden, "StartThroughStarter",
                $"Orchestration '{rule.Name}' is started again only by its own HTTP starter.");
        }

        if (rule.InputProblem(Parse(metadata.SerializedInput)) is { } inputProblem) return AzureError.BadRequest("InvalidInput", inputProblem);
        if (!metadata.IsCompleted) return AzureError.Conflict("InstanceNotFinished",
            $"Instance '{instanceId}' is {metadata.RuntimeStatus}; only a finished instance can be restarted.");
        try
        {
            string restarted = await client.RestartAsync(instanceId, newId, ct);
            return HttpManagementPayload.CheckStatusResponse(http.Request, restarted);
        }
        catch (OrchestrationAlreadyExistsException ex)
        {
            return AzureError.Conflict("InstanceAlreadyExists", ex.Message);
        }
    }

    internal static Task<IResult> TerminateAsync(string instanceId, HttpContext http, DurableTaskClient client,
        OrchestrationRules rules, EdgeKvAuthorizer authorizer, CancellationToken ct) =>
        SignalAsync(instanceId, http, client, rules, authorizer,
            (c, _) => c.TerminateInstanceAsync(instanceId, Reason(http.Request), ct), ct);

    internal static Task<IResult> SuspendAsync(string instanceId, HttpContext http, DurableTaskClient client,
        OrchestrationRules rules, EdgeKvAuthorizer authorizer, CancellationToken ct) =>
        SignalAsync(instanceId, http, client, rules, authorizer,
            (c, _) => c.SuspendInstanceAsync(instanceId, Reason(http.Request), ct), ct);

    internal static Task<IResult> ResumeAsync(string instanceId, HttpContext http, DurableTaskClient client,
        OrchestrationRules rules, EdgeKvAuthorizer authorizer, CancellationToken ct) =>
        SignalAsync(instanceId, http, client, rules, authorizer,
            (c, _) => c.ResumeInstanceAsync(instanceId, Reason(http.Request), ct), ct);

    private static string? Reason(HttpRequest request) => request.Query.TryGetValue("reason",
        out var reason) ? reason.ToString() : null;

    /// <summary>
    /// Sends terminate, suspend, resume or an event: 404 for an unknown instance, 403 without its flow's permission,
    /// 410 for a finished one.
    /// </summary>
    private static async Task<IResult> SignalAsync(string instanceId, HttpContext http, DurableTaskClient client,
        OrchestrationRules rules, EdgeKvAuthorizer authorizer,
        Func<DurableTaskClient, OrchestrationRule, Task> send, CancellationToken ct)
    {
        if (IdentifierRules.CheckId(instanceId, "instance id", "InvalidInstanceId") is { } badId) return badId;
        OrchestrationMetadata? metadata = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, ct);
        if (metadata is null) return AzureError.NotFound("InstanceNotFound",
            $"No instance with id '{instanceId}' exists.");
        if (await RefusedAsync(metadata, http, rules, authorizer, ct) is { } refused) return refused;
        if (metadata.IsCompleted) return AzureError.Gone("InstanceCompleted",
            $"Instance '{instanceId}' already finished ({metadata.RuntimeStatus}).");
        try
        {
            await send(client, rules.Find(metadata.Name)!);
        }
        catch (UnauthorizedAccessException ex)
        {
            return AzureError.Result(StatusCodes.Status403Forbidden, "AuthorizationFailed", ex.Message);
        }

        return Results.Accepted();
    }

    /// <summary>
    /// 403 unless the caller holds the permission of the instance's flow (on its resource, when the input names one).
    /// </summary>
    private static async Task<IResult?> RefusedAsync(OrchestrationMetadata metadata, HttpContext http,
        OrchestrationRules rules, EdgeKvAuthorizer authorizer, CancellationToken ct)
    {
        OrchestrationRule? rule = rules.Find(metadata.Name);
        EdgeKvCaller? caller = EdgeKvCaller.From(http.User);
        if (rule is null || caller is null || !await authorizer.IsAllowedAtScopeAsync(caller, rule.Permission,
            ScopeOf(metadata.SerializedInput), ct))
        {
            return AzureError.Result(StatusCodes.Status403Forbidden, "AuthorizationFailed",
                $"Controlling an instance of '{metadata.Name}' needs the permission of its own starter{(rule is null ? " (it has none here)" : $" ({rule.Permission})")}.");
        }

        return null;
    }

    private static async Task<bool> AllowedEverywhereAsync(EdgeKvCaller caller, OrchestrationRules rules,
        EdgeKvAuthorizer authorizer, CancellationToken ct)
    {
        foreach (Permission permission in OrchestrationRules.EdgeKv.Select(r => r.Permission).Distinct())
        {
            if (!await authorizer.IsAllowedAtServiceAsync(caller, permission, ct)) return false;
        }

        return rules is not null;
    }

    /// <summary>The scope an instance acts at: its resource's, or the service's when its input names none.</summary>
    private static string ScopeOf(string? serializedInput) =>
        ResourceOf(serializedInput) is { Length: > 0 } resource ? RoleAssignment.ResourceScope(resource) : RoleAssignment.ServiceScope;

    /// <summary>
    /// The resource an instance acts on: its input's <c>resourceName</c>, or the input itself when it is a name.
    /// </summary>
    private static string? ResourceOf(string? serializedInput)
    {
        JsonElement? input = Parse(serializedInput);
        return input switch
        {
            { ValueKind: JsonValueKind.String } s => s.GetString(),
            { ValueKind: JsonValueKind.Object } o when o.TryGetProperty("resourceName",
                out JsonElement name) && name.ValueKind == JsonValueKind.String => name.GetString(),
            _ => null,
        };
    }

    private static JsonElement? Parse(string? json)
    {
        if (json is null) return null;
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private static async Task<(JsonElement? Body, IResult? Error)> ReadJsonBodyAsync(HttpRequest request,
        CancellationToken ct)
    {
        using var reader = new StreamReader(request.Body);
        string text = await reader.ReadToEndAsync(ct);
        if (string.IsNullOrWhiteSpace(text)) return (null, null);
        try
        {
            using var document = JsonDocument.Parse(text);
            return (document.RootElement.Clone(), null);
        }
        catch (JsonException ex)
        {
            return (null, AzureError.BadRequest("InvalidRequestContent",
                $"The request body is not valid JSON: {ex.Message}"));
        }
    }

    public static bool TryBool(HttpRequest request, string name, bool fallback, out bool value, out IResult? error)
    {
        value = fallback;
        error = null;
        if (!request.Query.TryGetValue(name, out var text)) return true;
        if (bool.TryParse(text, out value)) return true;
        error = AzureError.BadRequest("InvalidQueryParameter", $"{name} must be true or false.");
        return false;
    }
}
