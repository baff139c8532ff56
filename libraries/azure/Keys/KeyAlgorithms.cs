namespace EdgeKv.Azure.Keys;

/// <summary>Algorithm names of Key Vault's cryptographic operations.</summary>
public static class KeyAlgorithms
{
    public const string RsaOaep = "RSA-OAEP";
    public const string RsaOaep256 = "RSA-OAEP-256";
    public const string Rsa15 = "RSA1_5";
    public const string RS256 = "RS256";
    public const string RS384 = "RS384";
    public const string RS512 = "RS512";
    public const string PS256 = "PS256";
    public const string PS384 = "PS384";
    public const string PS512 = "PS512";

    /// <summary>ECDSA over P-256 with a SHA-256 digest; the signature is r || s (IEEE P1363), 64 bytes.</summary>
    public const string ES256 = "ES256";

    /// <summary>ECDSA over P-384 with a SHA-384 digest.</summary>
    public const string ES384 = "ES384";

    /// <summary>ECDSA over P-521 with a SHA-512 digest.</summary>
    public const string ES512 = "ES512";
}
