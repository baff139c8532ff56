using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.DurableTask;

namespace EdgeKv.Tasks;

/// <summary>
/// EdgeKv's payload converter for the Durable Task SDK: JSON (web defaults, enums as names, nulls left out) that
/// refuses a <see cref="SensitiveValue"/> anywhere in a payload. Every input, output, event payload and custom status
/// goes through it, on the worker and on the client, so no secret can reach orchestration state or history.
/// </summary>
public sealed class EdgeKvDataConverter : DataConverter
{
    public static EdgeKvDataConverter Shared { get; } = new();

    /// <summary>
    /// The serializer options; the refusal converter comes first, so it wins over any other converter.
    /// </summary>
    public static JsonSerializerOptions SerializerOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new SensitiveValueRefusal(), new JsonStringEnumConverter() },
    };

    public override string? Serialize(object? value)
        => value is null ? null : JsonSerializer.Serialize(value, value.GetType(), SerializerOptions);

    public override object? Deserialize(string? data, Type targetType)
    {
        ArgumentNullException.ThrowIfNull(targetType);
        return data is null ? null : JsonSerializer.Deserialize(data, targetType, SerializerOptions);
    }

    /// <summary>Throws on any attempt to write or read a secret value as durable state.</summary>
    private sealed class SensitiveValueRefusal : JsonConverter<SensitiveValue>
    {
        public override SensitiveValue Read(ref Utf8JsonReader reader, Type typeToConvert,
            JsonSerializerOptions options)
            => throw new SensitivePayloadException();

        public override void Write(Utf8JsonWriter writer, SensitiveValue value, JsonSerializerOptions options)
            => throw new SensitivePayloadException();
    }
}
