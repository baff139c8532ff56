using System.Security.Cryptography;

namespace EdgeKv.Records.Keys;

/// <summary>
/// Generates a key version's material (PKCS#8 for RSA and EC, 32 raw bytes for AES) and derives its public key (PEM).
/// Callers zero the material when done with it.
/// </summary>
public static class KeyMaterial
{
    public static byte[] Generate(string type)
    {
        if (ManagedKeyTypes.IsRsa(type))
        {
            using var rsa = RSA.Create(ManagedKeyTypes.RsaBits(type));
            return rsa.ExportPkcs8PrivateKey();
        }

        if (ManagedKeyTypes.IsEc(type))
        {
            using var ec = ECDsa.Create(Curve(type));
            return ec.ExportPkcs8PrivateKey();
        }

        return type == ManagedKeyTypes.Aes256Gcm96 ? RandomNumberGenerator.GetBytes(32) : throw new ArgumentException($"Unknown key type '{type}'.", nameof(type));
    }

    /// <summary>The public key as SubjectPublicKeyInfo PEM; null for symmetric keys.</summary>
    public static string? PublicKeyPem(string type, ReadOnlySpan<byte> material)
    {
        if (ManagedKeyTypes.IsRsa(type))
        {
            using RSA rsa = OpenRsa(material);
            return rsa.ExportSubjectPublicKeyInfoPem();
        }

        if (ManagedKeyTypes.IsEc(type))
        {
            using ECDsa ec = OpenEc(material);
            return ec.ExportSubjectPublicKeyInfoPem();
        }

        return null;
    }

    public static RSA OpenRsa(ReadOnlySpan<byte> material)
    {
        var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(material, out _);
        return rsa;
    }

    public static ECDsa OpenEc(ReadOnlySpan<byte> material)
    {
        var ec = ECDsa.Create();
        ec.ImportPkcs8PrivateKey(material, out _);
        return ec;
    }

    public static ECCurve Curve(string type) => type switch
    {
        ManagedKeyTypes.EcdsaP256 => ECCurve.NamedCurves.nistP256,
        ManagedKeyTypes.EcdsaP384 => ECCurve.NamedCurves.nistP384,
        ManagedKeyTypes.EcdsaP521 => ECCurve.NamedCurves.nistP521,
        _ => throw new ArgumentException($"'{type}' is not an EC key type.", nameof(type)),
    };
}
