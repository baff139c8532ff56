using System.Globalization;
using System.Text.Json;
using EdgeKv.Durable;
using EdgeKv.Durable.History;
using EdgeKv.Durable.Storage;
using EdgeKv.Functions.Http;
using EdgeKv.Functions.Security;

namespace EdgeKv.Functions.DurableHttp;

/// <summary>
/// The Durable Functions instance-management HTTP API under <c>/runtime/webhooks/durabletask</c>: same
/// routes, payloads and status codes, so existing tooling and scripts work against EdgeKv.
/// </summary>
public static class DurableTaskHttpApi
{
    public static IEndpointRouteBuilder MapDurableTaskApi(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder api = app.MapGroup(HttpManagementPayload.RoutePrefix);
        api.MapPost("/orchestrators/{name}/{instanceId?}", StartAsync).RequireEdgeKvPermission(Permission.OrchestrationsManage, resourceRouteValue: null);
        api.MapGet("/instances/{instanceId}", GetStatusAsync).RequireEdgeKvPermission(Permission.OrchestrationsRead, audited: false, resourceRouteValue: null);
        api.MapGet("/instances", QueryAsync).RequireEdgeKvPermission(Permission.OrchestrationsRead, audited: false, resourceRouteValue: null);
        api.MapDelete("/instances/{instanceId}", PurgeAsync).RequireEdgeKvPermission(Permission.OrchestrationsManage, resourceRouteValue: null);
        api.MapDelete("/instances", PurgeManyAsync).RequireEdgeKvPermission(Permission.OrchestrationsManage, resourceRouteValue: null);
        api.MapPost("/instances/{instanceId}/raiseEvent/{eventName}", RaiseEventAsync).RequireEdgeKvPermission(Permission.OrchestrationsManage, resourceRouteValue: null);
        api.MapPost("/instances/{instanceId}/terminate", (string instanceId, string? reason, DurableTaskClient client, CancellationToken ct)
            => SignalAsync(instanceId, client, c => c.TerminateInstanceAsync(instanceId, reason, ct), ct))
            .RequireEdgeKvPermission(Permission.OrchestrationsManage, resourceRouteValue: null);
        api.MapPost("/instances/{instanceId}/suspend", (string instanceId, string? reason, DurableTaskClient client, CancellationToken ct)
            => SignalAsync(instanceId, client, c => c.SuspendInstanceAsync(instanceId, reason, ct), ct))
            .RequireEdgeKvPermission(Permission.OrchestrationsManage, resourceRouteValue: null);
        api.MapPost("/instances/{instanceId}/resume", (string instanceId, string? reason, DurableTaskClient client, CancellationToken ct)
            => SignalAsync(instanceId, client, c => c.ResumeInstanceAsync(instanceId, reason, ct), ct))
            .RequireEdgeKvPermission(Permission.OrchestrationsManage, resourceRouteValue: null);
        api.MapPost("/instances/{instanceId}/restart", RestartAsync).RequireEdgeKvPermission(Permission.OrchestrationsManage, resourceRouteValue: null);
        return app;
    }

    private static async Task<IResult> StartAsync(string name, string? instanceId, HttpRequest request, DurableTaskClient client, CancellationToken ct)
    {
        if (!client.IsOrchestratorRegistered(name)) return AzureError.NotFound("OrchestratorNotFound", $"No orchestrator named '{name}' is registered.");
        if (instanceId is not null && !InstanceIds.IsValid(instanceId, out string? problem)) return AzureError.BadRequest("InvalidInstanceId", problem!);
        (JsonElement? input, IResult? error) = await ReadJsonBodyAsync(request, ct);
        if (error is not null) return error;
        try
        {
            string id = await client.ScheduleNewOrchestrationInstanceAsync(name, input, new StartOrchestrationOptions(instanceId), ct);
            return HttpManagementPayload.CheckStatusResponse(request, id);
        }
        catch (OrchestrationInstanceExistsException ex)
        {
            return AzureError.Conflict("InstanceAlreadyExists", ex.Message);
        }
        catch (ArgumentException ex)
        {
            return AzureError.BadRequest("InvalidInput", ex.Message);
        }
    }

    private static async Task<IResult> GetStatusAsync(string instanceId, HttpRequest request, DurableTaskClient client, CancellationToken ct)
    {
        if (!InstanceIds.IsValid(instanceId, out string? problem)) return AzureError.BadRequest("InvalidInstanceId", problem!);
        if (!TryBool(request, "showHistory", false, out bool showHistory, out IResult? bad)
            || !TryBool(request, "showHistoryOutput", false, out bool showHistoryOutput, out bad)
            || !TryBool(request, "showInput", true, out bool showInput, out bad))
        {
            return bad!;
        }

        OrchestrationMetadata? metadata = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, ct);
        if (metadata is null) return AzureError.NotFound("InstanceNotFound", $"No instance with id '{instanceId}' exists.");
        if (!showInput) metadata = metadata with { SerializedInput = null };
        IReadOnlyList<HistoryEvent>? history = showHistory ? await client.GetHistoryAsync(instanceId, ct) : null;
        InstanceStatus status = InstanceStatus.From(metadata, history, showHistoryOutput);
        return metadata.IsCompleted
            ? Results.Json(status)
            : new AcceptedJsonResult(status, $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}");
    }

    private static async Task<IResult> QueryAsync(HttpContext context, DurableTaskClient client, CancellationToken ct)
    {
        HttpRequest request = context.Request;
        if (!TryFilter(request, out InstanceQuery? query, out IResult? bad)) return bad!;
        if (!TryBool(request, "showInput", false, out bool showInput, out bad)) return bad!;
        int top = 100;
        if (request.Query.TryGetValue("top", out var topText) && (!int.TryParse(topText, NumberStyles.None, CultureInfo.InvariantCulture, out top) || top is < 1 or > 1000))
        {
            return AzureError.BadRequest("InvalidQueryParameter", "top must be a whole number from 1 to 1000.");
        }

        query = query! with { PageSize = top, ContinuationToken = request.Headers["x-ms-continuation-token"].FirstOrDefault() };
        try
        {
            (IReadOnlyList<OrchestrationMetadata> page, string? next) = await client.QueryInstancesAsync(query, showInput, ct);
            if (next is not null) context.Response.Headers["x-ms-continuation-token"] = next;
            return Results.Json(page.Select(m => InstanceStatus.From(m)).ToArray());
        }
        catch (ArgumentException ex)
        {
            return AzureError.BadRequest("InvalidContinuationToken", ex.Message);
        }
    }

    private static async Task<IResult> PurgeAsync(string instanceId, DurableTaskClient client, CancellationToken ct)
    {
        if (!InstanceIds.IsValid(instanceId, out string? problem)) return AzureError.BadRequest("InvalidInstanceId", problem!);
        OrchestrationMetadata? metadata = await client.GetInstanceAsync(instanceId, cancellationToken: ct);
        if (metadata is null) return AzureError.NotFound("InstanceNotFound", $"No instance with id '{instanceId}' exists.");
        if (!metadata.IsCompleted) return AzureError.Conflict("InstanceNotFinished", $"Instance '{instanceId}' is {metadata.RuntimeStatus}; terminate it before purging.");
        int deleted = await client.PurgeInstanceAsync(instanceId, ct);
        return Results.Json(new { instancesDeleted = deleted });
    }

    private static async Task<IResult> PurgeManyAsync(HttpRequest request, DurableTaskClient client, CancellationToken ct)
    {
        if (!request.Query.ContainsKey("createdTimeFrom")) return AzureError.BadRequest("InvalidQueryParameter", "createdTimeFrom is required to purge instances.");
        if (!TryFilter(request, out InstanceQuery? query, out IResult? bad)) return bad!;
        int deleted = await client.PurgeAllInstancesAsync(new PurgeFilter(query!.CreatedFrom, query.CreatedTo, query.Statuses), ct);
        return deleted == 0
            ? AzureError.NotFound("NoInstancesPurged", "No finished instance matched the filter.")
            : Results.Json(new { instancesDeleted = deleted });
    }

    private static async Task<IResult> RaiseEventAsync(string instanceId, string eventName, HttpRequest request, DurableTaskClient client, CancellationToken ct)
    {
        (JsonElement? payload, IResult? error) = await ReadJsonBodyAsync(request, ct);
        if (error is not null) return error;
        return await SignalAsync(instanceId, client, c => c.RaiseEventAsync(instanceId, eventName, payload, ct), ct);
    }

    private static async Task<IResult> RestartAsync(string instanceId, HttpRequest request, DurableTaskClient client, CancellationToken ct)
    {
        if (!InstanceIds.IsValid(instanceId, out string? problem)) return AzureError.BadRequest("InvalidInstanceId", problem!);
        if (!TryBool(request, "restartWithNewInstanceId", true, out bool newId, out IResult? bad)) return bad!;
        OrchestrationMetadata? metadata = await client.GetInstanceAsync(instanceId, cancellationToken: ct);
        if (metadata is null) return AzureError.NotFound("InstanceNotFound", $"No instance with id '{instanceId}' exists.");
        if (!metadata.IsCompleted) return AzureError.Conflict("InstanceNotFinished", $"Instance '{instanceId}' is {metadata.RuntimeStatus}; only a finished instance can be restarted.");
        string restarted = await client.RestartAsync(instanceId, newId, ct);
        return HttpManagementPayload.CheckStatusResponse(request, restarted);
    }

    /// <summary>Sends terminate, suspend, resume or an event: 404 for an unknown instance, 410 for a finished one.</summary>
    private static async Task<IResult> SignalAsync(string instanceId, DurableTaskClient client, Func<DurableTaskClient, Task<bool>> send, CancellationToken ct)
    {
        if (!InstanceIds.IsValid(instanceId, out string? problem)) return AzureError.BadRequest("InvalidInstanceId", problem!);
        OrchestrationMetadata? metadata = await client.GetInstanceAsync(instanceId, cancellationToken: ct);
        if (metadata is null) return AzureError.NotFound("InstanceNotFound", $"No instance with id '{instanceId}' exists.");
        if (metadata.IsCompleted) return AzureError.Gone("InstanceCompleted", $"Instance '{instanceId}' already finished ({metadata.RuntimeStatus}).");
        return await send(client) ? Results.Accepted() : AzureError.NotFound("InstanceNotFound", $"No instance with id '{instanceId}' exists.");
    }

    private static async Task<(JsonElement? Body, IResult? Error)> ReadJsonBodyAsync(HttpRequest request, CancellationToken ct)
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
            return (null, AzureError.BadRequest("InvalidRequestContent", $"The request body is not valid JSON: {ex.Message}"));
        }
    }

    private static bool TryBool(HttpRequest request, string name, bool fallback, out bool value, out IResult? error)
    {
        value = fallback;
        error = null;
        if (!request.Query.TryGetValue(name, out var text)) return true;
        if (bool.TryParse(text, out value)) return true;
        error = AzureError.BadRequest("InvalidQueryParameter", $"{name} must be true or false.");
        return false;
    }

    private static bool TryFilter(HttpRequest request, out InstanceQuery? query, out IResult? error)
    {
        query = null;
        error = null;
        DateTime? from = null, to = null;
        if (request.Query.TryGetValue("createdTimeFrom", out var fromText))
        {
            if (!TryTime(fromText!, out DateTime f)) { error = AzureError.BadRequest("InvalidQueryParameter", "createdTimeFrom must be an ISO 8601 time."); return false; }
            from = f;
        }

        if (request.Query.TryGetValue("createdTimeTo", out var toText))
        {
            if (!TryTime(toText!, out DateTime t)) { error = AzureError.BadRequest("InvalidQueryParameter", "createdTimeTo must be an ISO 8601 time."); return false; }
            to = t;
        }

        var statuses = new List<OrchestrationRuntimeStatus>();
        foreach (string part in request.Query["runtimeStatus"].SelectMany(v => (v ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (!Enum.TryParse(part, ignoreCase: true, out OrchestrationRuntimeStatus status) || int.TryParse(part, out _))
            {
                error = AzureError.BadRequest("InvalidQueryParameter", $"runtimeStatus '{part}' is not one of {string.Join(", ", Enum.GetNames<OrchestrationRuntimeStatus>())}.");
                return false;
            }

            statuses.Add(status);
        }

        string? prefix = request.Query["instanceIdPrefix"].FirstOrDefault();
        query = new InstanceQuery { CreatedFrom = from, CreatedTo = to, Statuses = statuses, InstanceIdPrefix = prefix };
        return true;
    }

    private static bool TryTime(string text, out DateTime value)
    {
        bool ok = DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset parsed);
        value = parsed.UtcDateTime;
        return ok;
    }
}
