using System.Text.Json.Nodes;
using EdgeKv.Emulator.Arm;

namespace EdgeKv.Emulator.EventGrid;

/// <summary>
/// Builds a stored <c>Microsoft.EventGrid/eventSubscriptions</c> document from a PUT body (webhook destination only)
/// and its wire form, which, like Azure, shows <c>endpointBaseUrl</c> (no query string) and never the full endpoint
/// URL.
/// </summary>
internal static class EventSubscriptionDocument
{
    public const string EndpointUrlField = "emulatorEndpointUrl";

    public static JsonObject Build(string id, string name, string scope, JsonObject body, int defaultMaxAttempts)
    {
        var properties = JsonBody.Object(body,
            "properties") ?? throw ArmErrors.BadRequest("The parameter 'properties' is required.");
        var destination = JsonBody.Object(properties,
            "destination") ?? throw ArmErrors.BadRequest("The parameter 'properties.destination' is required.");
        var endpointType = JsonBody.String(destination, "endpointType");
        if (!string.Equals(endpointType, "WebHook", StringComparison.OrdinalIgnoreCase))
        {
            throw ArmErrors.BadRequest($"The endpoint type '{endpointType}' is not supported by the emulator. Supported: WebHook.");
        }

        var url = JsonBody.String(JsonBody.Object(destination, "properties"),
            "endpointUrl") ?? throw ArmErrors.BadRequest("The parameter 'properties.destination.properties.endpointUrl' is required.");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var endpoint) || !WebhookClient.IsLoopback(endpoint))
        {
            throw ArmErrors.BadRequest($"The endpoint URL '{url}' is invalid: the emulator delivers only to loopback http(s) URLs.");
        }

        var schema = JsonBody.String(properties, "eventDeliverySchema") ?? EventSchemas.EventGridSchema;
        if (!EventSchemas.IsKnown(schema))
        {
            throw ArmErrors.BadRequest($"The event delivery schema '{schema}' is invalid. Supported: EventGridSchema, CloudEventSchemaV1_0.");
        }

        var filter = JsonBody.Object(properties, "filter") ?? [];
        var retry = JsonBody.Object(properties, "retryPolicy") ?? [];
        var requested = JsonBody.Int(retry, "maxDeliveryAttempts");
        if (requested is < 1 or > 30)
        {
            throw ArmErrors.BadRequest("The maxDeliveryAttempts must be between 1 and 30.");
        }

        var attempts = requested ?? defaultMaxAttempts;

        return new JsonObject
        {
            ["id"] = id,
            ["name"] = name,
            ["type"] = EventGridPublisher.SubscriptionType,
            [EndpointUrlField] = url,
            ["properties"] = new JsonObject
            {
                ["topic"] = scope,
                ["provisioningState"] = "Succeeded",
                ["destination"] = new JsonObject
                {
                    ["endpointType"] = "WebHook",
                    ["properties"] = new JsonObject { ["endpointBaseUrl"] = endpoint.GetLeftPart(UriPartial.Path),
                        ["maxEventsPerBatch"] = 1, ["preferredBatchSizeInKilobytes"] = 64 },
                },
                ["filter"] = new JsonObject
                {
                    ["includedEventTypes"] = JsonBody.Array(filter, "includedEventTypes")?.DeepClone(),
                    ["subjectBeginsWith"] = JsonBody.String(filter, "subjectBeginsWith") ?? string.Empty,
                    ["subjectEndsWith"] = JsonBody.String(filter, "subjectEndsWith") ?? string.Empty,
                },
                ["eventDeliverySchema"] = schema,
                ["retryPolicy"] = new JsonObject { ["maxDeliveryAttempts"] = attempts,
                    ["eventTimeToLiveInMinutes"] = JsonBody.Int(retry, "eventTimeToLiveInMinutes") ?? 1440 },
                ["labels"] = JsonBody.Array(properties, "labels")?.DeepClone() ?? new JsonArray(),
            },
        };
    }

    public static JsonObject ToWire(JsonObject doc)
    {
        var wire = doc.DeepClone().AsObject();
        wire.Remove(EndpointUrlField);
        return wire;
    }
}
