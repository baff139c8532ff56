using Azure.Messaging.EventGrid.SystemEvents;
using EdgeKv.Functions.Http;
using EdgeKv.Functions.Security;
using Microsoft.DurableTask.Client;

namespace EdgeKv.Functions.Triggers.EventGrid;

/// <summary>
/// The Event Grid webhook, an HTTP function (the isolated worker has no Event Grid trigger here): <c>POST
/// /api/eventgrid?functionName=...</c> with a Functions key (<c>code</c> or <c>x-functions-key</c>, checked by the host
/// before the function runs), the subscription validation handshake, the CloudEvents OPTIONS handshake, batches in
/// either schema; 202 when handled and 500 when the handler failed, so that Event Grid delivers the batch again.
/// </summary>
public sealed partial class EventGridWebhookFunction(IEnumerable<IEventGridFunction> handlers,
    ILogger<EventGridWebhookFunction> logger)
{
    public const string FunctionName = "EventGridWebhook";
    public const string Route = "/api/eventgrid";

    /// <summary>
    /// The key the local host accepts for this function (as today's system key); in Azure, the app's function keys.
    /// </summary>
    public const string KeyName = "eventgrid_extension";

    [Function(FunctionName), AuthenticatedBy("a Functions key, checked by the host")]
    public async Task<IResult> RunAsync([HttpTrigger(AuthorizationLevel.Function, "post", "options",
        Route = "eventgrid")] HttpRequest request,
        [DurableClient] DurableTaskClient client, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (HttpMethods.IsOptions(request.Method))
        {
            // CloudEvents 1.0 abuse protection: allow the origin that asks.
            request.HttpContext.Response.Headers["WebHook-Allowed-Origin"] = request.Headers["WebHook-Request-Origin"].FirstOrDefault() ?? "*";
            request.HttpContext.Response.Headers["WebHook-Allowed-Rate"] = "*";
            return Results.Ok();
        }

        string? functionName = request.Query["functionName"].FirstOrDefault();
        if (string.IsNullOrWhiteSpace(functionName)) return AzureError.BadRequest("MissingFunctionName",
            "The functionName query parameter is required.");
        IEventGridFunction? handler = handlers.FirstOrDefault(f => string.Equals(f.Name, functionName,
            StringComparison.OrdinalIgnoreCase));
        if (handler is null) return AzureError.NotFound("FunctionNotFound",
            $"No Event Grid function named '{functionName}'.");

        string? eventType = request.Headers["aeg-event-type"].FirstOrDefault();
        if (eventType is not ("SubscriptionValidation" or "Notification"))
        {
            return AzureError.BadRequest("InvalidEventType",
                "The aeg-event-type header must be SubscriptionValidation or Notification.");
        }

        BodyResult<BinaryData> body = await JsonBody.ReadJsonAsync(request, ct);
        if (body.Error is not null) return body.Error;
        IReadOnlyList<ReceivedEvent>? events = EventBatchParser.TryParse(body.Value ?? BinaryData.Empty,
            out string? problem);
        if (events is null) return AzureError.BadRequest("InvalidEventBatch", problem!);

        if (eventType == "SubscriptionValidation")
        {
            string? code = events.Select(e => e.SystemData).OfType<SubscriptionValidationEventData>().FirstOrDefault()?.ValidationCode;
            return code is null
                ? AzureError.BadRequest("InvalidValidationEvent",
                    "A SubscriptionValidation request must carry a Microsoft.EventGrid.SubscriptionValidationEvent with a validationCode.")
                : Results.Json(new { validationResponse = code });
        }

        try
        {
            await handler.HandleAsync(events, client, ct);
            return Results.Accepted();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFunctionFailed(logger, handler.Name, events.Count, ex);
            return AzureError.Result(StatusCodes.Status500InternalServerError, "FunctionFailed",
                $"Function '{handler.Name}' failed; Event Grid will deliver the batch again.");
        }
    }

    [LoggerMessage(3101, LogLevel.Error,
        "Event Grid function {Name} failed on a batch of {Count} events; answering 500 so the batch is delivered again.")]
    private static partial void LogFunctionFailed(ILogger logger, string name, int count, Exception exception);
}
