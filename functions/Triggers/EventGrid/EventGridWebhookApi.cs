using Azure.Messaging.EventGrid.SystemEvents;
using EdgeKv.Functions.Http;
using EdgeKv.Functions.Security;

namespace EdgeKv.Functions.Triggers.EventGrid;

/// <summary>
/// The Event Grid webhook at <c>/runtime/webhooks/eventgrid?functionName=...</c>, as the Functions host exposes
/// it: the <c>eventgrid_extension</c> system key, the subscription validation handshake (and the CloudEvents
/// OPTIONS handshake), batches in either schema, 202 when handled and 500 when the function failed, so that
/// Event Grid delivers the batch again.
/// </summary>
public static partial class EventGridWebhookApi
{
    public const string Route = "/runtime/webhooks/eventgrid";
    public const string KeyName = "eventgrid_extension";

    public static IEndpointRouteBuilder MapEventGridWebhook(this IEndpointRouteBuilder app)
    {
        app.MapPost(Route, ReceiveAsync);
        app.MapMethods(Route, ["OPTIONS"], (HttpRequest request, HttpResponse response, SystemKeyStore keys) =>
        {
            if (!keys.Verify(KeyName, PresentedKey(request))) return Unauthorized(response);
            // CloudEvents 1.0 abuse protection: allow the origin that asks.
            response.Headers["WebHook-Allowed-Origin"] = request.Headers["WebHook-Request-Origin"].FirstOrDefault() ?? "*";
            response.Headers["WebHook-Allowed-Rate"] = "*";
            return Results.Ok();
        });
        return app;
    }

    private static async Task<IResult> ReceiveAsync(
        HttpRequest request, HttpResponse response, SystemKeyStore keys, IEnumerable<IEventGridFunction> functions, ILoggerFactory loggers, CancellationToken ct)
    {
        if (!keys.Verify(KeyName, PresentedKey(request))) return Unauthorized(response);

        string? functionName = request.Query["functionName"].FirstOrDefault();
        if (string.IsNullOrWhiteSpace(functionName)) return AzureError.BadRequest("MissingFunctionName", "The functionName query parameter is required.");
        IEventGridFunction? function = functions.FirstOrDefault(f => string.Equals(f.Name, functionName, StringComparison.OrdinalIgnoreCase));
        if (function is null) return AzureError.NotFound("FunctionNotFound", $"No Event Grid function named '{functionName}'.");

        string? eventType = request.Headers["aeg-event-type"].FirstOrDefault();
        if (eventType is not ("SubscriptionValidation" or "Notification"))
        {
            return AzureError.BadRequest("InvalidEventType", "The aeg-event-type header must be SubscriptionValidation or Notification.");
        }

        BinaryData body = await BinaryData.FromStreamAsync(request.Body, ct);
        IReadOnlyList<ReceivedEvent>? events = EventBatchParser.TryParse(body, out string? problem);
        if (events is null) return AzureError.BadRequest("InvalidEventBatch", problem!);

        if (eventType == "SubscriptionValidation")
        {
            string? code = events.Select(e => e.SystemData).OfType<SubscriptionValidationEventData>().FirstOrDefault()?.ValidationCode;
            return code is null
                ? AzureError.BadRequest("InvalidValidationEvent", "A SubscriptionValidation request must carry a Microsoft.EventGrid.SubscriptionValidationEvent with a validationCode.")
                : Results.Json(new { validationResponse = code });
        }

        try
        {
            await function.HandleAsync(events, ct);
            return Results.Accepted();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFunctionFailed(loggers.CreateLogger("EdgeKv.Functions.EventGrid"), function.Name, events.Count, ex);
            return AzureError.Result(StatusCodes.Status500InternalServerError, "FunctionFailed", $"Function '{function.Name}' failed; Event Grid will deliver the batch again.");
        }
    }

    private static string? PresentedKey(HttpRequest request)
        => request.Query["code"].FirstOrDefault() ?? request.Headers["x-functions-key"].FirstOrDefault();

    private static IResult Unauthorized(HttpResponse response)
    {
        response.Headers.WWWAuthenticate = "FunctionsKey realm=\"eventgrid_extension\"";
        return AzureError.Result(StatusCodes.Status401Unauthorized, "Unauthorized", "A valid eventgrid_extension system key is required in the 'code' query parameter or the x-functions-key header.");
    }

    [LoggerMessage(3101, LogLevel.Error, "Event Grid function {Name} failed on a batch of {Count} events; answering 500 so the batch is delivered again.")]
    private static partial void LogFunctionFailed(ILogger logger, string name, int count, Exception exception);
}
