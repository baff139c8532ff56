using System.Text.Json;
using System.Text.Json.Serialization;

namespace EdgeKv.Records;

/// <summary>
/// The JSON document of a <see cref="ResourceRecord"/>, the same in every store, so a record moves between them
/// unchanged.
/// </summary>
internal static class ResourceDocument
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static string Serialize(ResourceRecord record) => JsonSerializer.Serialize(record, Json);

    public static ResourceRecord Deserialize(string document) => JsonSerializer.Deserialize<ResourceRecord>(document,
        Json)!;
}
