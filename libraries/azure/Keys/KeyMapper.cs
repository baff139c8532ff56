using System.Text.Json.Nodes;
using Sdk = global::Azure.Security.KeyVault.Keys;

namespace EdgeKv.Azure.Keys;

/// <summary>
/// Maps the SDK's key types to EdgeKv's records, EdgeKv's JWKs to the SDK's, and reads the BYOK import's
/// <c>KeyBundle</c>.
/// </summary>
internal static class KeyMapper
{
    public static KeyVaultKey Key(Sdk.KeyVaultKey key)
    {
        var publicKey = Jwk(key.Key);
        var properties = Properties(key.Properties) with { KeyOperations = publicKey.KeyOps,
            KeyType = publicKey.KeyType };
        return new KeyVaultKey(properties, publicKey.KeyType, publicKey.KeyOps, publicKey.N ?? [], publicKey.E ?? [])
        {
            Key = publicKey, CurveName = publicKey.CurveName, X = publicKey.X, Y = publicKey.Y,
        };
    }

    public static KeyProperties Properties(Sdk.KeyProperties p) =>
        new(p.Id, p.Name, p.Version, p.Enabled ?? true, p.NotBefore, p.ExpiresOn, p.CreatedOn, p.UpdatedOn,
            p.RecoveryLevel,
            new Dictionary<string, string>(p.Tags))
        {
            Managed = p.Managed,
        };

    public static DeletedKey Deleted(Sdk.DeletedKey key) =>
        new(Key(key), key.RecoveryId, key.DeletedOn ?? DateTimeOffset.MinValue,
            key.ScheduledPurgeDate ?? DateTimeOffset.MinValue);

    /// <summary>EdgeKv's JWK (with private material) as the SDK's, for <c>KeyClient.ImportKeyAsync</c>.</summary>
    public static Sdk.JsonWebKey ToSdk(JsonWebKey key)
    {
        var jwk = new Sdk.JsonWebKey(key.KeyOps.Select(o => new Sdk.KeyOperation(o)))
        {
            KeyType = new Sdk.KeyType(key.KeyType), N = key.N, E = key.E, D = key.D, P = key.P, Q = key.Q, DP = key.DP,
                DQ = key.DQ, QI = key.QI,
            X = key.X, Y = key.Y,
        };
        if (key.CurveName is not null)
        {
            jwk.CurveName = new Sdk.KeyCurveName(key.CurveName);
        }

        return jwk;
    }

    /// <summary>The <c>KeyBundle</c> the BYOK import answers (the one request made without the SDK).</summary>
    public static KeyVaultKey Key(JsonObject bundle)
    {
        var jwk = bundle["key"]!.AsObject();
        var publicKey = JsonWebKey.FromJson(jwk);
        var id = new Uri((string)jwk["kid"]!);
        var segments = id.Segments.Select(s => s.Trim('/')).Where(s => s.Length > 0).ToArray();
        var attributes = bundle["attributes"];
        var properties = new KeyProperties(id, segments[^2], segments[^1], (bool?)attributes?["enabled"] ?? true,
            Time(attributes, "nbf"),
            Time(attributes, "exp"), Time(attributes, "created"), Time(attributes, "updated"),
            (string?)attributes?["recoveryLevel"], JsonRead.Tags(bundle))
        {
            KeyOperations = publicKey.KeyOps, KeyType = publicKey.KeyType,
        };
        return new KeyVaultKey(properties, publicKey.KeyType, publicKey.KeyOps, publicKey.N ?? [], publicKey.E ?? [])
        {
            Key = publicKey, CurveName = publicKey.CurveName, X = publicKey.X, Y = publicKey.Y,
        };
    }

    public static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+',
        '-').Replace('/', '_');

    public static byte[] Decode(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '='));
    }

    private static JsonWebKey Jwk(Sdk.JsonWebKey key) => new()
    {
        KeyType = key.KeyType.ToString(),
        KeyOps = key.KeyOps.Select(o => o.ToString()).ToList(),
        N = key.N, E = key.E, CurveName = key.CurveName?.ToString(), X = key.X, Y = key.Y,
    };

    private static DateTimeOffset? Time(JsonNode? attributes, string name) =>
        attributes?[name] is JsonValue v && v.TryGetValue<long>(out var seconds) ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;
}
