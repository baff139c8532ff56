using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace EdgeKv.Emulator.KeyVault;

/// <summary>
/// EC keys (P-256, P-384, P-521) as JSON Web Keys: <c>crv, x, y</c> answered, <c>d</c> stored and never answered.
/// </summary>
internal static class EcJwk
{
    public static readonly IReadOnlyList<string> AllOperations = ["sign", "verify"];

    public static readonly IReadOnlyList<string> Curves = ["P-256", "P-384", "P-521"];

    public static JsonObject Generate(string curve)
    {
        using var ecdsa = ECDsa.Create(Curve(curve));
        return ToStored(curve, ecdsa.ExportParameters(includePrivateParameters: true));
    }

    /// <summary>Reads an imported EC JWK with its private scalar, or throws Key Vault's 400.</summary>
    public static JsonObject FromImport(JsonObject jwk)
    {
        var curve = (string?)jwk["crv"] ?? throw KeyVaultErrors.BadParameter("The JSON Web Key is missing the EC parameter 'crv'.");
        CheckCurve(curve);
        foreach (var field in new[] { "x", "y", "d" })
        {
            if (jwk[field] is not JsonValue value || !value.TryGetValue<string>(out _))
            {
                throw KeyVaultErrors.BadParameter($"The JSON Web Key is missing the EC parameter '{field}' (a private key is required for import).");
            }
        }

        try
        {
            using var ecdsa = ECDsa.Create();
            ecdsa.ImportParameters(new ECParameters
            {
                Curve = Curve(curve),
                Q = new ECPoint { X = RsaJwk.Decode((string)jwk["x"]!), Y = RsaJwk.Decode((string)jwk["y"]!) },
                D = RsaJwk.Decode((string)jwk["d"]!),
            });
            return ToStored(curve, ecdsa.ExportParameters(includePrivateParameters: true));
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException)
        {
            throw KeyVaultErrors.BadParameter("The JSON Web Key is not a valid EC key.");
        }
    }

    /// <summary>A stored EC key from a PKCS#8 private key (a BYOK transfer), or null when it holds no EC key.</summary>
    public static JsonObject? FromPkcs8(byte[] pkcs8)
    {
        try
        {
            using var ecdsa = ECDsa.Create();
            ecdsa.ImportPkcs8PrivateKey(pkcs8, out _);
            var p = ecdsa.ExportParameters(includePrivateParameters: true);
            var curve = CurveName(p.Curve);
            return curve is null ? null : ToStored(curve, p);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    public static ECDsa ToECDsa(JsonObject stored)
    {
        var ecdsa = ECDsa.Create();
        ecdsa.ImportParameters(new ECParameters
        {
            Curve = Curve((string)stored["crv"]!),
            Q = new ECPoint { X = RsaJwk.Decode((string)stored["x"]!), Y = RsaJwk.Decode((string)stored["y"]!) },
            D = RsaJwk.Decode((string)stored["d"]!),
        });
        return ecdsa;
    }

    public static JsonObject Public(string kid, string kty, JsonObject stored, JsonArray keyOps) => new()
    {
        ["kid"] = kid,
        ["kty"] = kty,
        ["key_ops"] = keyOps.DeepClone(),
        ["crv"] = (string?)stored["crv"],
        ["x"] = (string?)stored["x"],
        ["y"] = (string?)stored["y"],
    };

    public static void CheckCurve(string curve)
    {
        if (!Curves.Contains(curve))
        {
            throw KeyVaultErrors.BadParameter($"The curve name '{curve}' is not supported. Supported curves: P-256, P-384, P-521.");
        }
    }

    /// <summary>The ECDSA algorithm of a curve: ES256 for P-256, ES384 for P-384, ES512 for P-521.</summary>
    public static string Algorithm(string curve) => curve switch
    {
        "P-256" => "ES256",
        "P-384" => "ES384",
        _ => "ES512",
    };

    private static ECCurve Curve(string curve) => curve switch
    {
        "P-256" => ECCurve.NamedCurves.nistP256,
        "P-384" => ECCurve.NamedCurves.nistP384,
        "P-521" => ECCurve.NamedCurves.nistP521,
        _ => throw KeyVaultErrors.BadParameter($"The curve name '{curve}' is not supported. Supported curves: P-256, P-384, P-521."),
    };

    private static string? CurveName(ECCurve curve) => curve.Oid?.Value switch
    {
        "1.2.840.10045.3.1.7" => "P-256",
        "1.3.132.0.34" => "P-384",
        "1.3.132.0.35" => "P-521",
        _ => curve.Oid?.FriendlyName switch
        {
            "nistP256" or "ECDSA_P256" => "P-256",
            "nistP384" or "ECDSA_P384" => "P-384",
            "nistP521" or "ECDSA_P521" => "P-521",
            _ => null,
        },
    };

    private static JsonObject ToStored(string curve, ECParameters p) => new()
    {
        ["crv"] = curve, ["x"] = RsaJwk.Encode(p.Q.X!), ["y"] = RsaJwk.Encode(p.Q.Y!), ["d"] = RsaJwk.Encode(p.D!),
    };
}
