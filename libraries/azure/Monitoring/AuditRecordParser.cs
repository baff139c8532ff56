using System.Globalization;
using System.Text.Json.Nodes;

namespace EdgeKv.Azure.Monitoring;

/// <summary>
/// Parses audit-log blobs: one JSON record per line (Azure Monitor's storage format), blank lines ignored.
/// </summary>
internal static class AuditRecordParser
{
    private const string ObjectIdClaim = "http://schemas.microsoft.com/identity/claims/objectidentifier";
    private const string UpnClaim = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn";

    public static IEnumerable<KeyVaultAuditRecord> Parse(string text)
    {
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (JsonNode.Parse(line) is JsonObject record)
            {
                yield return Read(record);
            }
        }
    }

    private static KeyVaultAuditRecord Read(JsonObject r)
    {
        var claim = r["identity"]?["claim"];
        var properties = r["properties"];
        return new KeyVaultAuditRecord(
            DateTimeOffset.Parse((string)r["time"]!, CultureInfo.InvariantCulture),
            JsonRead.String(r, "resourceId"), JsonRead.String(r, "operationName"),
            JsonRead.String(r, "operationVersion"),
            JsonRead.String(r, "category"), JsonRead.String(r, "resultType"), JsonRead.String(r, "resultSignature"),
            Number(r["durationMs"]), JsonRead.String(r, "callerIpAddress"), JsonRead.String(r, "correlationId"),
            (string?)claim?[ObjectIdClaim] ?? (string?)claim?["oid"], (string?)claim?["appid"],
            (string?)claim?[UpnClaim] ?? (string?)claim?["upn"],
            JsonRead.String(properties, "clientInfo"), JsonRead.String(properties, "requestUri"),
            JsonRead.String(properties, "id"),
            (int)Number(properties?["httpStatusCode"]));
    }

    private static long Number(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue<long>(out var n) => n,
        JsonValue v when v.TryGetValue<string>(out var s) && long.TryParse(s, NumberStyles.Integer,
            CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => 0,
    };
}
