using System.Text.Json.Nodes;

namespace EdgeKv.Azure.Keys;

/// <summary>Reads Key Vault's key wire shapes (<c>KeyBundle</c>, <c>KeyItem</c>, <c>DeletedKeyBundle</c>) and writes JWKs.</summary>
internal static class KeyMapper
{
    public static KeyVaultKey Key(JsonObject bundle)
    {
        var jwk = bundle["key"]!.AsObject();
        var publicKey = JsonWebKey.FromJson(jwk);
        var properties = Properties(bundle, (string)jwk["kid"]!) with { KeyOperations = publicKey.KeyOps, KeyType = publicKey.KeyType };
        return new KeyVaultKey(properties, publicKey.KeyType, publicKey.KeyOps, publicKey.N ?? [], publicKey.E ?? [])
        {
            Key = publicKey, CurveName = publicKey.CurveName, X = publicKey.X, Y = publicKey.Y,
        };
    }

    public static KeyProperties Properties(JsonObject item, string id)
    {
        var uri = new Uri(id);
        var segments = uri.Segments.Select(s => s.Trim('/')).Where(s => s.Length > 0).ToArray();
        var attributes = item["attributes"];
        return new KeyProperties(uri, segments[1], segments.Length > 2 ? segments[2] : null, (bool?)attributes?["enabled"] ?? true,
            Time(attributes, "nbf"), Time(attributes, "exp"), Time(attributes, "created"), Time(attributes, "updated"),
            (string?)attributes?["recoveryLevel"], JsonRead.Tags(item))
        {
            Managed = item["managed"] is JsonValue managed && managed.TryGetValue<bool>(out var flag) && flag,
        };
    }

    public static DeletedKey Deleted(JsonObject bundle) => new(Key(bundle), new Uri((string)bundle["recoveryId"]!),
        DateTimeOffset.FromUnixTimeSeconds((long)bundle["deletedDate"]!), DateTimeOffset.FromUnixTimeSeconds((long)bundle["scheduledPurgeDate"]!));

    public static JsonObject Attributes(bool? enabled, DateTimeOffset? notBefore, DateTimeOffset? expiresOn)
    {
        var attributes = new JsonObject();
        if (enabled is not null)
        {
            attributes["enabled"] = enabled;
        }

        if (notBefore is not null)
        {
            attributes["nbf"] = notBefore.Value.ToUnixTimeSeconds();
        }

        if (expiresOn is not null)
        {
            attributes["exp"] = expiresOn.Value.ToUnixTimeSeconds();
        }

        return attributes;
    }

    public static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static byte[] Decode(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '='));
    }

    private static DateTimeOffset? Time(JsonNode? attributes, string name) =>
        attributes?[name] is JsonValue v && v.TryGetValue<long>(out var seconds) ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;
}
