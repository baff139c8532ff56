using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace EdgeKv.Emulator.Admin;

/// <summary>Request and error helpers of the admin API.</summary>
internal static class AdminHttp
{
    public static async Task<JsonObject?> ReadAsync(HttpContext http, CancellationToken cancellationToken)
    {
        try
        {
            return await JsonNode.ParseAsync(http.Request.Body, cancellationToken: cancellationToken) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    public static JsonObject Error(string code,
        string message) => new() { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } };
}
