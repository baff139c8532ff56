using System.Text.Json;
using Azure.Messaging;
using Azure.Messaging.EventGrid;

namespace EdgeKv.Functions.Triggers.EventGrid;

/// <summary>Reads a delivered body in either schema with the Event Grid SDK's own parsers.</summary>
internal static class EventBatchParser
{
    /// <summary>Parses the body; null with a reason when it is not a valid batch.</summary>
    public static IReadOnlyList<ReceivedEvent>? TryParse(BinaryData body, out string? problem)
    {
        problem = null;
        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            JsonElement root = document.RootElement;
            JsonElement first = root.ValueKind == JsonValueKind.Array && root.GetArrayLength() > 0 ? root[0] : root;
            if (root.ValueKind is not (JsonValueKind.Array or JsonValueKind.Object) || first.ValueKind != JsonValueKind.Object)
            {
                problem = "The body must be a JSON event or an array of events.";
                return null;
            }

            if (first.TryGetProperty("specversion", out _))
            {
                return [.. CloudEvent.ParseMany(body, skipValidation: false).Select(FromCloudEvent)];
            }

            return [.. EventGridEvent.ParseMany(body).Select(FromEventGridEvent)];
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or FormatException or InvalidOperationException)
        {
            problem = $"The body is not a valid Event Grid or CloudEvents batch: {ex.Message}";
            return null;
        }
    }

    private static ReceivedEvent FromEventGridEvent(EventGridEvent e)
        => new(e.Id, e.EventType, e.Subject, e.Topic, e.EventTime, e.Data,
            e.TryGetSystemEventData(out object? data) ? data : null, EventSchema.EventGrid);

    private static ReceivedEvent FromCloudEvent(CloudEvent e)
        => new(e.Id, e.Type, e.Subject, e.Source, e.Time ?? DateTimeOffset.MinValue, e.Data,
            e.TryGetSystemEventData(out object? data) ? data : null, EventSchema.CloudEvents);
}
