using System.Globalization;
using System.Text.Json.Nodes;

namespace EdgeKv.Azure;

/// <summary>Small readers for Resource Manager JSON.</summary>
internal static class JsonRead
{
    public static string String(JsonNode? node, string name) => (string?)node?[name] ?? string.Empty;

    public static IReadOnlyDictionary<string, string> Tags(JsonNode? node) =>
        node?["tags"] is JsonObject tags
            ? tags.ToDictionary(t => t.Key, t => (string?)t.Value ?? string.Empty)
            : new Dictionary<string, string>();

    public static IReadOnlyList<string> Strings(JsonNode? node) =>
        node is JsonArray array ? array.Select(v => (string?)v ?? string.Empty).ToList() : [];

    public static DateTimeOffset Date(JsonNode? node, string name) =>
        DateTimeOffset.Parse((string)node![name]!, CultureInfo.InvariantCulture);

    public static JsonObject TagsObject(IReadOnlyDictionary<string, string>? tags)
    {
        var result = new JsonObject();
        foreach (var (key, value) in tags ?? new Dictionary<string, string>())
        {
            result[key] = value;
        }

        return result;
    }

    public static JsonArray Array(IEnumerable<string>? values) => new((values ?? []).Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
}
