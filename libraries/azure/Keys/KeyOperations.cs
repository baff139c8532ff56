namespace EdgeKv.Azure.Keys;

/// <summary>Names of Key Vault key operations (<c>key_ops</c>).</summary>
public static class KeyOperations
{
    public const string Encrypt = "encrypt";
    public const string Decrypt = "decrypt";
    public const string Sign = "sign";
    public const string Verify = "verify";
    public const string WrapKey = "wrapKey";
    public const string UnwrapKey = "unwrapKey";
    public const string Import = "import";
}
