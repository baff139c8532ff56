using System.Text.Json;
using System.Text.Json.Nodes;

namespace EdgeKv.Emulator.Arm;

/// <summary>
/// Typed reads of request JSON that answer Azure's 400 <c>InvalidRequestContent</c> instead of throwing.
/// </summary>
internal static class JsonBody
{
    public static JsonObject Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw ArmErrors.InvalidRequestContent("The request content is empty");
        }

        try
        {
            return JsonNode.Parse(text) as JsonObject ?? throw ArmErrors.InvalidRequestContent("The request content must be a JSON object");
        }
        catch (JsonException ex)
        {
            throw ArmErrors.InvalidRequestContent(ex.Message);
        }
    }

    public static string? String(JsonObject? node, string name) => node?[name] switch
    {
        null => null,
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        _ => throw ArmErrors.InvalidRequestContent($"The property '{name}' must be a string"),
    };

    public static bool? Bool(JsonObject? node, string name) => node?[name] switch
    {
        null => null,
        JsonValue value when value.TryGetValue<bool>(out var flag) => flag,
        _ => throw ArmErrors.InvalidRequestContent($"The property '{name}' must be a boolean"),
    };

    public static int? Int(JsonObject? node, string name) => node?[name] switch
    {
        null => null,
        JsonValue value when value.TryGetValue<int>(out var number) => number,
        JsonValue value when value.TryGetValue<double>(out var real) && real == Math.Floor(real) && real is >= int.MinValue and <= int.MaxValue => (int)real,
        _ => throw ArmErrors.InvalidRequestContent($"The property '{name}' must be an integer"),
    };

    public static JsonObject? Object(JsonObject? node, string name) => node?[name] switch
    {
        null => null,
        JsonObject value => value,
        _ => throw ArmErrors.InvalidRequestContent($"The property '{name}' must be an object"),
    };

    public static JsonArray? Array(JsonObject? node, string name) => node?[name] switch
    {
        null => null,
        JsonArray value => value,
        _ => throw ArmErrors.InvalidRequestContent($"The property '{name}' must be an array"),
    };

    /// <summary>Reads <c>tags</c>: an object of string values.</summary>
    public static JsonObject Tags(JsonObject? node)
    {
        var tags = Object(node, "tags");
        var result = new JsonObject();
        if (tags is null)
        {
            return result;
        }

        foreach (var (key, value) in tags)
        {
            result[key] = value is JsonValue text && text.TryGetValue<string>(out var s)
                ? s
                : throw ArmErrors.InvalidRequestContent($"The tag '{key}' must have a string value");
        }

        return result;
    }

    public static JsonArray StringArray(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
}
