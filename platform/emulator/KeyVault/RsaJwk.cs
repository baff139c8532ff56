using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace EdgeKv.Emulator.KeyVault;

/// <summary>RSA keys as JSON Web Keys (base64url fields). The private fields are stored, never answered.</summary>
internal static class RsaJwk
{
    private static readonly string[] PublicFields = ["n", "e"];
    private static readonly string[] PrivateFields = ["d", "p", "q", "dp", "dq", "qi"];

    public static readonly IReadOnlyList<string> AllOperations = ["encrypt", "decrypt", "sign", "verify", "wrapKey",
        "unwrapKey"];

    public static JsonObject Generate(int keySize)
    {
        using var rsa = RSA.Create(keySize);
        return ToStored(rsa.ExportParameters(includePrivateParameters: true));
    }

    /// <summary>Reads an imported JWK (RSA with its private part), or throws Key Vault's 400.</summary>
    public static JsonObject FromImport(JsonObject jwk)
    {
        var kty = (string?)jwk["kty"];
        if (kty is not ("RSA" or "RSA-HSM"))
        {
            throw KeyVaultErrors.BadParameter($"The key type '{kty}' is not supported. Supported key types: RSA, RSA-HSM.");
        }

        foreach (var field in PublicFields.Concat(PrivateFields))
        {
            if (jwk[field] is not JsonValue value || !value.TryGetValue<string>(out _))
            {
                throw KeyVaultErrors.BadParameter($"The JSON Web Key is missing the RSA parameter '{field}' (a private key is required for import).");
            }
        }

        try
        {
            using var rsa = RSA.Create();
            rsa.ImportParameters(Parameters(jwk));
            if (rsa.KeySize is not (2048 or 3072 or 4096))
            {
                throw KeyVaultErrors.BadParameter($"The RSA key size {rsa.KeySize} is not supported. Supported sizes: 2048, 3072, 4096.");
            }

            return ToStored(rsa.ExportParameters(includePrivateParameters: true));
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException)
        {
            throw KeyVaultErrors.BadParameter("The JSON Web Key is not a valid RSA key.");
        }
    }

    /// <summary>
    /// A stored RSA key from a PKCS#8 private key (a BYOK transfer), or null when it holds no RSA key of a supported
    /// size.
    /// </summary>
    public static JsonObject? FromPkcs8(byte[] pkcs8)
    {
        try
        {
            using var rsa = RSA.Create();
            rsa.ImportPkcs8PrivateKey(pkcs8, out _);
            return rsa.KeySize is 2048 or 3072 or 4096 ? ToStored(rsa.ExportParameters(includePrivateParameters: true)) : null;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    public static RSA ToRsa(JsonObject stored)
    {
        var rsa = RSA.Create();
        rsa.ImportParameters(Parameters(stored));
        return rsa;
    }

    /// <summary>The public JWK as Key Vault answers it.</summary>
    public static JsonObject Public(string kid, string kty, JsonObject stored, JsonArray keyOps) => new()
    {
        ["kid"] = kid,
        ["kty"] = kty,
        ["key_ops"] = keyOps.DeepClone(),
        ["n"] = (string?)stored["n"],
        ["e"] = (string?)stored["e"],
    };

    public static byte[] Decode(string text) => Base64UrlDecode(text);

    public static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+',
        '-').Replace('/', '_');

    private static JsonObject ToStored(RSAParameters p) => new()
    {
        ["n"] = Encode(p.Modulus!), ["e"] = Encode(p.Exponent!), ["d"] = Encode(p.D!), ["p"] = Encode(p.P!),
            ["q"] = Encode(p.Q!),
        ["dp"] = Encode(p.DP!), ["dq"] = Encode(p.DQ!), ["qi"] = Encode(p.InverseQ!),
    };

    private static RSAParameters Parameters(JsonObject jwk) => new()
    {
        Modulus = Base64UrlDecode((string)jwk["n"]!),
        Exponent = Base64UrlDecode((string)jwk["e"]!),
        D = Base64UrlDecode((string)jwk["d"]!),
        P = Base64UrlDecode((string)jwk["p"]!),
        Q = Base64UrlDecode((string)jwk["q"]!),
        DP = Base64UrlDecode((string)jwk["dp"]!),
        DQ = Base64UrlDecode((string)jwk["dq"]!),
        InverseQ = Base64UrlDecode((string)jwk["qi"]!),
    };

    private static byte[] Base64UrlDecode(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '='));
    }
}
