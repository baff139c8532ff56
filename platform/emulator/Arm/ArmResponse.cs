using System.Text.Json.Nodes;

namespace EdgeKv.Emulator.Arm;

/// <summary>What a handler answers: status, optional JSON body and headers.</summary>
internal sealed record ArmResponse(int Status, JsonNode? Body = null,
    IReadOnlyDictionary<string, string>? Headers = null)
{
    public static ArmResponse Ok(JsonNode body) => new(200, body);

    public static ArmResponse Created(JsonNode body) => new(201, body);

    public static ArmResponse NoContent() => new(204);

    public static ArmResponse List(IEnumerable<JsonNode> items) => new(200,
        new JsonObject { ["value"] = new JsonArray(items.ToArray()) });
}
