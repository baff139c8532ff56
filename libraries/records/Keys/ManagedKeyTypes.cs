namespace EdgeKv.Records.Keys;

/// <summary>
/// The key types EdgeKv generates (fixed at creation), and what each may be used for once distributed: RSA keys for any
/// of the six operations, EC keys for signing, AES keys stay in EdgeKv (Key Vault's standard and premium vaults hold no
/// imported AES keys).
/// </summary>
public static class ManagedKeyTypes
{
    public const string Rsa2048 = "rsa-2048";
    public const string Rsa3072 = "rsa-3072";
    public const string Rsa4096 = "rsa-4096";
    public const string EcdsaP256 = "ecdsa-p256";
    public const string EcdsaP384 = "ecdsa-p384";
    public const string EcdsaP521 = "ecdsa-p521";
    public const string Aes256Gcm96 = "aes256-gcm96";

    public static IReadOnlyList<string> All { get; } = [Rsa2048, Rsa3072, Rsa4096, EcdsaP256, EcdsaP384, EcdsaP521,
        Aes256Gcm96];

    /// <summary>The purposes a distribution may name (Key Vault's key operation names).</summary>
    public static IReadOnlyList<string> Purposes { get; } = ["encrypt", "decrypt", "sign", "verify", "wrapKey",
        "unwrapKey"];

    public static bool IsKnown(string? type) => type is not null && All.Contains(type, StringComparer.Ordinal);

    public static bool IsRsa(string type) => type.StartsWith("rsa-", StringComparison.Ordinal);

    public static bool IsEc(string type) => type.StartsWith("ecdsa-", StringComparison.Ordinal);

    public static bool IsAsymmetric(string type) => IsRsa(type) || IsEc(type);

    /// <summary>Whether a key of this type can be distributed to Azure Key Vault.</summary>
    public static bool IsDistributable(string type) => IsAsymmetric(type);

    /// <summary>The operations a distributed key of this type may be given.</summary>
    public static IReadOnlyList<string> OperationsFor(string type) =>
        IsRsa(type) ? Purposes : IsEc(type) ? ["sign", "verify"] : [];

    /// <summary>The RSA modulus size in bits (0 for other types).</summary>
    public static int RsaBits(string type) => type switch { Rsa2048 => 2048, Rsa3072 => 3072, Rsa4096 => 4096, _ => 0 };

    /// <summary>Key Vault's curve name for an EC type (null for other types).</summary>
    public static string? CurveName(string type) => type switch { EcdsaP256 => "P-256", EcdsaP384 => "P-384",
        EcdsaP521 => "P-521", _ => null };
}
