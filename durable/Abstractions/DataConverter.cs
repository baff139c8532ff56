using System.Text.Json;
using System.Text.Json.Serialization;

namespace EdgeKv.Durable;

/// <summary>Turns inputs, outputs and event payloads into the JSON strings kept in history, and back.</summary>
public sealed class DataConverter
{
    public static readonly DataConverter Default = new(new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    });

    public DataConverter(JsonSerializerOptions options) => Options = options;

    public JsonSerializerOptions Options { get; }

    public string? Serialize(object? value)
        => value is null ? null : JsonSerializer.Serialize(value, value.GetType(), Options);

    public object? Deserialize(string? json, Type type)
    {
        if (json is null || type == typeof(void)) return null;
        return JsonSerializer.Deserialize(json, type, Options);
    }

    public T? Deserialize<T>(string? json) => json is null ? default : JsonSerializer.Deserialize<T>(json, Options);
}
