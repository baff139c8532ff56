namespace EdgeKv.Azure.Keys;

/// <summary>Algorithm names of Key Vault's cryptographic operations.</summary>
public static class KeyAlgorithms
{
    public const string RsaOaep = "RSA-OAEP";
    public const string RsaOaep256 = "RSA-OAEP-256";
    public const string RS256 = "RS256";
    public const string PS256 = "PS256";
}
