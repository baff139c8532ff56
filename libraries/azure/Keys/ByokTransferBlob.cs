using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace EdgeKv.Azure.Keys;

/// <summary>
/// Builds the Key Transfer Blob of Azure's Bring Your Own Key specification, the bytes of a <c>key_hsm</c>: JSON
/// <c>{schema_version, header {kid, alg: "dir", enc}, ciphertext, generator}</c>, where <c>ciphertext</c> is the
/// ephemeral AES-256 key encrypted with RSA-OAEP under the Key Exchange Key's public key, followed by the target's
/// private key (PKCS#8 DER) wrapped with that AES key by AES key wrap with padding (RFC 5649). The AES key and the
/// plaintext PKCS#8 are zeroed before returning; neither is ever logged.
/// </summary>
public static class ByokTransferBlob
{
    /// <summary>
    /// Azure's documented <c>enc</c>: RSA-OAEP with SHA-1 over the AES key, then AES key wrap with padding.
    /// </summary>
    public const string RsaAesKeyWrap = "CKM_RSA_AES_KEY_WRAP";

    /// <summary>The same composition with RSA-OAEP-256 (SHA-256 and MGF1-SHA-256), as Key Vault names it.</summary>
    public const string RsaAesKeyWrap256 = "RSA_AES_KEY_WRAP_256";

    /// <summary>The same composition with RSA-OAEP over SHA-384.</summary>
    public const string RsaAesKeyWrap384 = "RSA_AES_KEY_WRAP_384";

    public const string SchemaVersion = "1.0.0";

    /// <summary>
    /// Wraps an RSA private key for a Key Exchange Key (as <see cref="KeysClient.CreateKeyExchangeKeyAsync(string,
    /// CancellationToken)"/> returns it).
    /// </summary>
    public static byte[] Create(KeyVaultKey keyExchangeKey, RSA targetKey, string encryption = RsaAesKeyWrap)
    {
        ArgumentNullException.ThrowIfNull(keyExchangeKey);
        using var kek = keyExchangeKey.ToRsa();
        return Create(keyExchangeKey.Id, kek, targetKey, encryption);
    }

    /// <summary>Wraps an EC private key for a Key Exchange Key.</summary>
    public static byte[] Create(KeyVaultKey keyExchangeKey, ECDsa targetKey, string encryption = RsaAesKeyWrap)
    {
        ArgumentNullException.ThrowIfNull(keyExchangeKey);
        using var kek = keyExchangeKey.ToRsa();
        return Create(keyExchangeKey.Id, kek, targetKey, encryption);
    }

    /// <summary>
    /// Wraps an RSA private key for the Key Exchange Key <paramref name="keyExchangeKeyId"/> with public key <paramref
    /// name="keyExchangeKey"/>.
    /// </summary>
    public static byte[] Create(Uri keyExchangeKeyId, RSA keyExchangeKey, RSA targetKey,
        string encryption = RsaAesKeyWrap)
    {
        ArgumentNullException.ThrowIfNull(targetKey);
        return Wrap(keyExchangeKeyId, keyExchangeKey, targetKey.ExportPkcs8PrivateKey(), encryption);
    }

    /// <summary>
    /// Wraps an EC private key for the Key Exchange Key <paramref name="keyExchangeKeyId"/> with public key <paramref
    /// name="keyExchangeKey"/>.
    /// </summary>
    public static byte[] Create(Uri keyExchangeKeyId, RSA keyExchangeKey, ECDsa targetKey,
        string encryption = RsaAesKeyWrap)
    {
        ArgumentNullException.ThrowIfNull(targetKey);
        return Wrap(keyExchangeKeyId, keyExchangeKey, targetKey.ExportPkcs8PrivateKey(), encryption);
    }

    /// <summary>The RSA-OAEP padding an <c>enc</c> value names.</summary>
    public static RSAEncryptionPadding OaepPadding(string encryption) => encryption switch
    {
        RsaAesKeyWrap => RSAEncryptionPadding.OaepSHA1,
        RsaAesKeyWrap256 => RSAEncryptionPadding.OaepSHA256,
        RsaAesKeyWrap384 => RSAEncryptionPadding.OaepSHA384,
        _ => throw new ArgumentException($"Unknown key transfer encryption '{encryption}'.", nameof(encryption)),
    };

    private static byte[] Wrap(Uri keyExchangeKeyId, RSA keyExchangeKey, byte[] pkcs8, string encryption)
    {
        ArgumentNullException.ThrowIfNull(keyExchangeKeyId);
        ArgumentNullException.ThrowIfNull(keyExchangeKey);
        var padding = OaepPadding(encryption);
        var aesKey = RandomNumberGenerator.GetBytes(32);
        try
        {
            using var aes = Aes.Create();
            aes.Key = aesKey;
            var wrapped = aes.EncryptKeyWrapPadded(pkcs8);
            var head = keyExchangeKey.Encrypt(aesKey, padding);
            var blob = new JsonObject
            {
                ["schema_version"] = SchemaVersion,
                ["header"] = new JsonObject { ["kid"] = keyExchangeKeyId.AbsoluteUri, ["alg"] = "dir",
                    ["enc"] = encryption },
                ["ciphertext"] = KeyMapper.Encode([.. head, .. wrapped]),
                ["generator"] = "EdgeKv",
            };
            return Encoding.UTF8.GetBytes(blob.ToJsonString());
        }
        finally
        {
            CryptographicOperations.ZeroMemory(aesKey);
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }
}
