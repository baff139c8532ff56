using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeKv.Emulator.Store;

namespace EdgeKv.Emulator.KeyVault;

/// <summary>
/// Bring Your Own Key, as Azure's specification describes it: <c>key_hsm</c> is the base64url of a Key Transfer Blob,
/// JSON <c>{schema_version, header {kid, alg: "dir", enc}, ciphertext}</c>. <c>kid</c> names the Key Exchange Key, an
/// RSA-HSM key of this vault whose only operation is <c>import</c>; <c>ciphertext</c> is the ephemeral AES key
/// encrypted with RSA-OAEP under the KEK (SHA-1 for <c>CKM_RSA_AES_KEY_WRAP</c>, SHA-256 for
/// <c>RSA_AES_KEY_WRAP_256</c>, SHA-384 for <c>RSA_AES_KEY_WRAP_384</c>), then the target's PKCS#8 private key wrapped
/// with AES key wrap with padding (RFC 5649). The emulator really unwraps it with the KEK's private key, so a blob
/// wrapped for another key, or altered, is refused.
/// </summary>
internal sealed class ByokImport(VaultObjectStore objects)
{
    private static readonly IReadOnlyDictionary<string, RSAEncryptionPadding> Encryptions = new Dictionary<string, RSAEncryptionPadding>
    {
        ["CKM_RSA_AES_KEY_WRAP"] = RSAEncryptionPadding.OaepSHA1,
        ["RSA_AES_KEY_WRAP_256"] = RSAEncryptionPadding.OaepSHA256,
        ["RSA_AES_KEY_WRAP_384"] = RSAEncryptionPadding.OaepSHA384,
    };

    /// <summary>
    /// The stored private key the blob carries, of the family of <paramref name="kty"/> (RSA-HSM or EC-HSM).
    /// </summary>
    public async Task<JsonObject> UnwrapAsync(KeyVaultRequest request, JsonObject jwk, string kty,
        CancellationToken cancellationToken)
    {
        var blob = ReadBlob(jwk);
        var header = blob["header"] as JsonObject ?? throw InvalidBlob("it has no 'header'");
        var kid = (string?)header["kid"] ?? throw InvalidBlob("its header has no 'kid'");
        if (!string.Equals((string?)header["alg"], "dir", StringComparison.Ordinal))
        {
            throw InvalidBlob("its header 'alg' must be 'dir'");
        }

        var enc = (string?)header["enc"] ?? string.Empty;
        if (!Encryptions.TryGetValue(enc, out var padding))
        {
            throw KeyVaultErrors.BadParameter($"The key transfer blob's encryption '{enc}' is not supported. Supported: {string.Join(", ", Encryptions.Keys)}.");
        }

        var ciphertext = Decode((string?)blob["ciphertext"], "ciphertext");
        var (kekDoc, kek) = await FindKeyExchangeKeyAsync(request, kid, cancellationToken);
        if ((bool?)kek["enabled"] == false)
        {
            throw KeyVaultErrors.KeyDisabled("import");
        }

        if (!kek["keyOps"]!.AsArray().Any(op => (string?)op == KeyTypeRules.Import))
        {
            throw KeyVaultErrors.KeyOperationNotAllowed("import");
        }

        if ((string?)kek["kty"] != "RSA-HSM")
        {
            throw KeyVaultErrors.BadParameter($"The key exchange key '{kekDoc["name"]}' is not an RSA-HSM key.");
        }

        var pkcs8 = Unwrap(kek["jwk"]!.AsObject(), ciphertext, padding);
        try
        {
            var stored = KeyTypeRules.IsEc(kty) ? EcJwk.FromPkcs8(pkcs8) : RsaJwk.FromPkcs8(pkcs8);
            if (stored is null)
            {
                throw KeyVaultErrors.BadParameter($"The key transfer blob does not hold an {kty} private key of a supported size or curve.");
            }

            if (KeyTypeRules.IsEc(kty) && (string?)jwk["crv"] is { } curve && curve != (string?)stored["crv"])
            {
                throw KeyVaultErrors.BadParameter($"The key transfer blob holds a {stored["crv"]} key, not the curve {curve} the JSON Web Key names.");
            }

            return stored;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    private static JsonObject ReadBlob(JsonObject jwk)
    {
        var bytes = Decode((string?)jwk["key_hsm"], "key_hsm");
        try
        {
            return JsonNode.Parse(Encoding.UTF8.GetString(bytes)) as JsonObject ?? throw InvalidBlob("it is not a JSON object");
        }
        catch (Exception ex) when (ex is JsonException or DecoderFallbackException)
        {
            throw InvalidBlob("it is not JSON");
        }
    }

    /// <summary>
    /// The KEK named by <paramref name="kid"/>: it must be a live key of the vault the key is imported into.
    /// </summary>
    private async Task<(JsonObject Doc, JsonObject Version)> FindKeyExchangeKeyAsync(KeyVaultRequest request,
        string kid, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(kid, UriKind.Absolute, out var uri))
        {
            throw InvalidBlob("its header 'kid' is not a key identifier");
        }

        if (!string.Equals(uri.GetLeftPart(UriPartial.Authority), request.ObjectBase,
            StringComparison.OrdinalIgnoreCase))
        {
            throw KeyVaultErrors.BadParameter(
                $"The key exchange key '{kid}' is not in this vault. A Key Exchange Key must be in the vault the key is imported into.");
        }

        var segments = uri.Segments.Select(s => s.Trim('/')).Where(s => s.Length > 0).ToArray();
        if (segments.Length is < 2 or > 3 || !string.Equals(segments[0], "keys", StringComparison.OrdinalIgnoreCase))
        {
            throw InvalidBlob("its header 'kid' is not a key identifier");
        }

        var doc = await objects.GetAsync(Collections.Keys, request.VaultName, segments[1], cancellationToken);
        var version = doc is null || doc["deleted"] is not null ? null : VaultObjectStore.Version(doc,
            segments.Length == 3 ? segments[2] : string.Empty);
        return version is null
            ? throw KeyVaultErrors.BadParameter($"The key exchange key '{kid}' was not found in this vault.")
            : (doc!, version);
    }

    private static byte[] Unwrap(JsonObject kek, byte[] ciphertext, RSAEncryptionPadding padding)
    {
        using var rsa = RsaJwk.ToRsa(kek);
        var head = rsa.KeySize / 8;
        if (ciphertext.Length <= head)
        {
            throw InvalidBlob("its ciphertext is too short for the key exchange key");
        }

        byte[]? aesKey = null;
        try
        {
            aesKey = rsa.Decrypt(ciphertext.AsSpan(0, head).ToArray(), padding);
            if (aesKey.Length is not (16 or 24 or 32))
            {
                throw InvalidBlob("its wrapping key is not an AES key");
            }

            using var aes = Aes.Create();
            aes.Key = aesKey;
            return aes.DecryptKeyWrapPadded(ciphertext.AsSpan(head));
        }
        catch (CryptographicException)
        {
            throw KeyVaultErrors.BadParameter("The key transfer blob could not be unwrapped with the key exchange key: it was wrapped for another key, or altered.");
        }
        finally
        {
            if (aesKey is not null)
            {
                CryptographicOperations.ZeroMemory(aesKey);
            }
        }
    }

    private static byte[] Decode(string? text, string name)
    {
        try
        {
            return text is { Length: > 0 } ? RsaJwk.Decode(text) : throw InvalidBlob($"'{name}' is missing");
        }
        catch (FormatException)
        {
            throw InvalidBlob($"'{name}' is not base64url");
        }
    }

    private static Arm.ArmErrorException InvalidBlob(string reason) => KeyVaultErrors.BadParameter($"The property 'key_hsm' is not a valid key transfer blob: {reason}.");
}
