using System.Security.Cryptography;

namespace EdgeKv.Azure.Keys;

/// <summary>
/// A key version: its properties, type, permitted operations and public key (private material never leaves the vault).
/// RSA keys fill <see cref="Modulus"/> and <see cref="Exponent"/>; EC keys fill <see cref="CurveName"/>, <see
/// cref="X"/> and <see cref="Y"/> (and leave the RSA fields empty).
/// </summary>
public sealed record KeyVaultKey(KeyProperties Properties, string KeyType, IReadOnlyList<string> KeyOperations,
    byte[] Modulus, byte[] Exponent)
{
    public Uri Id => Properties.Id;

    public string Name => Properties.Name;

    /// <summary>The public JSON Web Key as the vault answered it.</summary>
    public JsonWebKey Key { get; init; } = new() { KeyType = KeyType, KeyOps = KeyOperations, N = Modulus,
        E = Exponent };

    /// <summary>EC keys: P-256, P-384 or P-521.</summary>
    public string? CurveName { get; init; }

    /// <summary>EC keys: the public point's x coordinate.</summary>
    public byte[]? X { get; init; }

    /// <summary>EC keys: the public point's y coordinate.</summary>
    public byte[]? Y { get; init; }

    /// <summary>True for RSA-HSM and EC-HSM keys.</summary>
    public bool HardwareProtected => KeyTypes.IsHardwareProtected(KeyType);

    /// <summary>The public key, e.g. to verify signatures or encrypt locally.</summary>
    public RSA ToRsa()
    {
        if (Modulus.Length == 0)
        {
            throw new InvalidOperationException($"The key '{Name}' is an {KeyType} key, not an RSA key.");
        }

        var rsa = RSA.Create();
        rsa.ImportParameters(new RSAParameters { Modulus = Modulus, Exponent = Exponent });
        return rsa;
    }

    /// <summary>The public EC key, e.g. to verify ES256/ES384/ES512 signatures locally.</summary>
    public ECDsa ToECDsa()
    {
        if (CurveName is null || X is null || Y is null)
        {
            throw new InvalidOperationException($"The key '{Name}' is an {KeyType} key, not an EC key.");
        }

        return ECDsa.Create(new ECParameters { Curve = KeyCurveNames.ToCurve(CurveName),
            Q = new ECPoint { X = X, Y = Y } });
    }
}
