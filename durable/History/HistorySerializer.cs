using System.Text.Json;
using System.Text.Json.Serialization;

namespace EdgeKv.Durable.History;

/// <summary>The one JSON shape of stored history events and messages, shared by every store and the history API.</summary>
public static class HistorySerializer
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Serialize(HistoryEvent e) => JsonSerializer.Serialize(e, Options);

    public static HistoryEvent Deserialize(string json)
        => JsonSerializer.Deserialize<HistoryEvent>(json, Options) ?? throw new JsonException("Empty history event.");

    public static string SerializeFailure(TaskFailureDetails failure) => JsonSerializer.Serialize(failure, Options);

    public static TaskFailureDetails? DeserializeFailure(string? json)
        => json is null ? null : JsonSerializer.Deserialize<TaskFailureDetails>(json, Options);
}
