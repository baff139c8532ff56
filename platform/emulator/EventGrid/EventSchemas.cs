using System.Text.Json.Nodes;

namespace EdgeKv.Emulator.EventGrid;

/// <summary>
/// Writes events in a subscription's delivery schema: the Event Grid schema (a JSON array) or CloudEvents 1.0 (one
/// structured event).
/// </summary>
internal static class EventSchemas
{
    public const string EventGridSchema = "EventGridSchema";
    public const string CloudEventSchema = "CloudEventSchemaV1_0";

    public static bool IsKnown(string schema) => schema is EventGridSchema or CloudEventSchema;

    public static (string Body, string ContentType) Serialize(EmulatorEvent e, string topic, string schema)
    {
        if (schema == CloudEventSchema)
        {
            var cloudEvent = new JsonObject
            {
                ["specversion"] = "1.0",
                ["id"] = e.Id,
                ["source"] = topic,
                ["subject"] = e.Subject,
                ["type"] = e.EventType,
                ["time"] = e.Time.UtcDateTime.ToString("O"),
                ["datacontenttype"] = "application/json",
                ["data"] = e.Data.DeepClone(),
            };
            return (cloudEvent.ToJsonString(), "application/cloudevents+json; charset=utf-8");
        }

        var gridEvent = new JsonObject
        {
            ["id"] = e.Id,
            ["topic"] = topic,
            ["subject"] = e.Subject,
            ["eventType"] = e.EventType,
            ["eventTime"] = e.Time.UtcDateTime.ToString("O"),
            ["data"] = e.Data.DeepClone(),
            ["dataVersion"] = e.DataVersion,
            ["metadataVersion"] = "1",
        };
        return (new JsonArray(gridEvent).ToJsonString(), "application/json; charset=utf-8");
    }
}
