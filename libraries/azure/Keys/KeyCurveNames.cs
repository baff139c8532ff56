using System.Security.Cryptography;

namespace EdgeKv.Azure.Keys;

/// <summary>The elliptic curves Key Vault vaults hold (<c>crv</c>), and their .NET curves.</summary>
public static class KeyCurveNames
{
    public const string P256 = "P-256";
    public const string P384 = "P-384";
    public const string P521 = "P-521";

    public static ECCurve ToCurve(string curveName) => curveName switch
    {
        P256 => ECCurve.NamedCurves.nistP256,
        P384 => ECCurve.NamedCurves.nistP384,
        P521 => ECCurve.NamedCurves.nistP521,
        _ => throw new ArgumentException($"The curve '{curveName}' is not one Key Vault holds (P-256, P-384, P-521).",
            nameof(curveName)),
    };

    public static string FromCurve(ECCurve curve)
    {
        var oid = curve.Oid?.Value;
        return oid switch
        {
            "1.2.840.10045.3.1.7" => P256,
            "1.3.132.0.34" => P384,
            "1.3.132.0.35" => P521,
            _ => curve.Oid?.FriendlyName switch
            {
                "nistP256" or "ECDSA_P256" => P256,
                "nistP384" or "ECDSA_P384" => P384,
                "nistP521" or "ECDSA_P521" => P521,
                _ => throw new ArgumentException("Only the curves P-256, P-384 and P-521 are held by Key Vault.",
                    nameof(curve)),
            },
        };
    }

    /// <summary>The signature algorithm of a curve: ES256, ES384, ES512.</summary>
    public static string SignatureAlgorithm(string curveName) => curveName switch
    {
        P256 => KeyAlgorithms.ES256,
        P384 => KeyAlgorithms.ES384,
        P521 => KeyAlgorithms.ES512,
        _ => throw new ArgumentException($"The curve '{curveName}' is not one Key Vault holds.", nameof(curveName)),
    };
}
