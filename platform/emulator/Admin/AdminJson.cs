using System.Text.Json;
using System.Text.Json.Serialization;

namespace EdgeKv.Emulator.Admin;

/// <summary>JSON settings of the admin API (camelCase, enums as strings).</summary>
public static class AdminJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
