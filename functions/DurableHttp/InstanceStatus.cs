using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using EdgeKv.Durable;
using EdgeKv.Durable.History;

namespace EdgeKv.Functions.DurableHttp;

/// <summary>An instance as the Durable Functions status API shows it.</summary>
public sealed record InstanceStatus(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("instanceId")] string InstanceId,
    [property: JsonPropertyName("runtimeStatus")] string RuntimeStatus,
    [property: JsonPropertyName("input")] JsonNode? Input,
    [property: JsonPropertyName("customStatus")] JsonNode? CustomStatus,
    [property: JsonPropertyName("output")] JsonNode? Output,
    [property: JsonPropertyName("createdTime")] DateTime CreatedTime,
    [property: JsonPropertyName("lastUpdatedTime")] DateTime LastUpdatedTime,
    [property: JsonPropertyName("failureDetails"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] TaskFailureDetails? FailureDetails,
    [property: JsonPropertyName("historyEvents"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonArray? HistoryEvents)
{
    public static InstanceStatus From(OrchestrationMetadata m, IReadOnlyList<HistoryEvent>? history = null, bool showHistoryOutput = false)
    {
        // A failed instance's output is its error message, as in Durable Functions.
        JsonNode? output = m.RuntimeStatus == OrchestrationRuntimeStatus.Failed && m.FailureDetails is not null
            ? JsonValue.Create(m.FailureDetails.ToString())
            : Parse(m.SerializedOutput);
        return new InstanceStatus(m.Name, m.InstanceId, m.RuntimeStatus.ToString(), Parse(m.SerializedInput), Parse(m.SerializedCustomStatus),
            output, m.CreatedAt, m.LastUpdatedAt, m.FailureDetails, history is null ? null : HistoryJson(history, showHistoryOutput));
    }

    private static JsonArray HistoryJson(IReadOnlyList<HistoryEvent> history, bool showOutput)
    {
        var events = new JsonArray();
        foreach (HistoryEvent e in history)
        {
            var node = (JsonObject)JsonNode.Parse(HistorySerializer.Serialize(e))!;
            if (!showOutput)
            {
                node.Remove("result");
                node.Remove("input");
            }

            events.Add(node);
        }

        return events;
    }

    private static JsonNode? Parse(string? json) => json is null ? null : JsonNode.Parse(json);
}
