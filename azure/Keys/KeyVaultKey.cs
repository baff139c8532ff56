using System.Security.Cryptography;

namespace EdgeKv.Azure.Keys;

/// <summary>A key version: its properties, type, permitted operations and public RSA parameters (private material never leaves the vault).</summary>
public sealed record KeyVaultKey(KeyProperties Properties, string KeyType, IReadOnlyList<string> KeyOperations, byte[] Modulus, byte[] Exponent)
{
    public Uri Id => Properties.Id;

    public string Name => Properties.Name;

    /// <summary>The public key, e.g. to verify signatures or encrypt locally.</summary>
    public RSA ToRsa()
    {
        var rsa = RSA.Create();
        rsa.ImportParameters(new RSAParameters { Modulus = Modulus, Exponent = Exponent });
        return rsa;
    }
}
