using System.Text.Json;
using System.Text.Json.Nodes;
using DurableTask.Core.History;
using Newtonsoft.Json;

namespace EdgeKv.Functions.DurableHttp;

/// <summary>
/// The <c>historyEvents</c> of a status answer, from the history the SDK client reads (<see
/// cref="Microsoft.DurableTask.Client.DurableTaskClient.GetOrchestrationHistoryAsync"/>): each event with its type name
/// and camel-cased fields, as the framework's own serializer writes them; inputs, results and details only when
/// <c>showHistoryOutput=true</c>.
/// </summary>
internal static class HistoryView
{
    private static readonly HashSet<string> s_payloads = new(StringComparer.OrdinalIgnoreCase) { "input", "result",
        "details", "data" };

    public static JsonArray From(IEnumerable<HistoryEvent> history,
        bool showOutput) => From(JsonConvert.SerializeObject(history), showOutput);

    private static JsonArray From(string historyJson, bool showOutput)
    {
        var events = new JsonArray();
        if (string.IsNullOrWhiteSpace(historyJson) || JsonNode.Parse(historyJson) is not JsonArray source) return events;
        foreach (JsonNode? node in source)
        {
            if (node is not JsonObject e) continue;
            var view = new JsonObject();
            foreach ((string key, JsonNode? value) in e)
            {
                string name = JsonNamingPolicy.CamelCase.ConvertName(key);
                if (name.StartsWith('$') || (!showOutput && s_payloads.Contains(name))) continue;
                view[name] = name == "eventType" ? EventTypeName(value) : value?.DeepClone();
            }

            events.Add(view);
        }

        return events;
    }

    private static JsonNode? EventTypeName(JsonNode? value)
        => value is JsonValue v && v.TryGetValue(out int number) && Enum.IsDefined((EventType)number) ? JsonValue.Create(((EventType)number).ToString()) : value?.DeepClone();
}
