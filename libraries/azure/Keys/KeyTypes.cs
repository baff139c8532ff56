namespace EdgeKv.Azure.Keys;

/// <summary>
/// Key Vault key types (<c>kty</c>) in vaults: software-protected and HSM-protected (premium vaults only).
/// </summary>
public static class KeyTypes
{
    public const string Rsa = "RSA";
    public const string RsaHsm = "RSA-HSM";
    public const string Ec = "EC";
    public const string EcHsm = "EC-HSM";

    /// <summary>True for RSA-HSM and EC-HSM.</summary>
    public static bool IsHardwareProtected(string keyType) => keyType.EndsWith("-HSM",
        StringComparison.OrdinalIgnoreCase);

    /// <summary>True for EC and EC-HSM.</summary>
    public static bool IsEc(string keyType) => keyType.StartsWith("EC", StringComparison.OrdinalIgnoreCase);
}
