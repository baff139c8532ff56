using System.Text.Json.Nodes;

namespace EdgeKv.Emulator.KeyVault;

/// <summary>
/// What each key type allows, as Key Vault vaults enforce it: RSA and RSA-HSM (encrypt, decrypt, sign, verify, wrapKey,
/// unwrapKey; <c>import</c> only for a Key Exchange Key), EC and EC-HSM (sign, verify); HSM types only in premium
/// vaults.
/// </summary>
internal static class KeyTypeRules
{
    public const string Import = "import";
    private static readonly string[] KnownOperations = ["encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey",
        Import];

    public static bool IsEc(string kty) => kty is "EC" or "EC-HSM";

    public static bool IsHsm(string kty) => kty.EndsWith("-HSM", StringComparison.Ordinal);

    /// <summary>Azure refuses HSM-protected keys in a standard vault.</summary>
    public static void CheckVaultSku(string kty, JsonObject vault)
    {
        if (IsHsm(kty) && !string.Equals((string?)vault["properties"]?["sku"]?["name"], "premium",
            StringComparison.OrdinalIgnoreCase))
        {
            throw KeyVaultErrors.BadParameter("Hardware key operation not allowed on standard vault.");
        }
    }

    /// <summary>
    /// Reads <c>key_ops</c> for a key of type <paramref name="kty"/> (null: every operation the type allows but
    /// import).
    /// </summary>
    public static JsonArray KeyOps(JsonNode? node, string kty)
    {
        var allowed = IsEc(kty) ? EcJwk.AllOperations : RsaJwk.AllOperations;
        if (node is null)
        {
            return new JsonArray(allowed.Select(o => (JsonNode?)JsonValue.Create(o)).ToArray());
        }

        if (node is not JsonArray array)
        {
            throw KeyVaultErrors.BadParameter("The property 'key_ops' must be an array.");
        }

        var ops = new List<string>();
        foreach (var item in array)
        {
            var op = item is JsonValue v && v.TryGetValue<string>(out var text)
                ? KnownOperations.FirstOrDefault(k => k.Equals(text, StringComparison.OrdinalIgnoreCase))
                : null;
            ops.Add(op ?? throw KeyVaultErrors.BadParameter($"Invalid key operation: {item?.ToJsonString()}."));
        }

        var unsupported = ops.Where(o => o != Import && !allowed.Contains(o)).Distinct().ToList();
        if (unsupported.Count > 0)
        {
            throw KeyVaultErrors.BadParameter(
                $"Unsupported key operation(s): {string.Join(", ", unsupported.Select(o => $"\"{o}\""))}. Supported values are {string.Join(", ", allowed.Select(o => $"\"{o}\""))}.");
        }

        // A Key Exchange Key (Bring Your Own Key) is an RSA-HSM key whose only operation is import.
        if (ops.Contains(Import) && (kty != "RSA-HSM" || ops.Any(o => o != Import)))
        {
            throw KeyVaultErrors.BadParameter("The key operation 'import' is only valid alone, on an RSA-HSM key (a Key Exchange Key for Bring Your Own Key).");
        }

        return new JsonArray(ops.Distinct().Select(o => (JsonNode?)JsonValue.Create(o)).ToArray());
    }

    /// <summary>The public JWK of a stored version, as Key Vault answers it.</summary>
    public static JsonObject PublicJwk(string kid, string kty, JsonObject stored, JsonArray keyOps) =>
        IsEc(kty) ? EcJwk.Public(kid, kty, stored, keyOps) : RsaJwk.Public(kid, kty, stored, keyOps);
}
