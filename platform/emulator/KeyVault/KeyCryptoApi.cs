using System.Security.Cryptography;
using System.Text.Json.Nodes;
using EdgeKv.Emulator.Arm;

namespace EdgeKv.Emulator.KeyVault;

/// <summary>
/// Cryptographic operations with a stored key: encrypt/decrypt and wrapKey/unwrapKey (RSA-OAEP, RSA-OAEP-256, RSA1_5),
/// sign/verify (RS256/384/512, PS256/384/512 over a digest; ES256/384/512 with EC keys). Each needs its access-policy
/// permission and the key's <c>key_ops</c>; a disabled key refuses them all.
/// </summary>
internal sealed class KeyCryptoApi(KeysApi keys) : IKeyVaultRouteSource
{
    private const string Path = $"/keys/{KeyVaultRoute.Name}(/{KeyVaultRoute.Version})?/";

    public IEnumerable<KeyVaultRoute> Routes =>
    [
        KeyVaultRoute.Create("POST", Path + "encrypt", KeysApi.Kind, "encrypt", "KeyEncrypt",
            (r, c) => RunAsync(r, "encrypt", c)),
        KeyVaultRoute.Create("POST", Path + "decrypt", KeysApi.Kind, "decrypt", "KeyDecrypt",
            (r, c) => RunAsync(r, "decrypt", c)),
        KeyVaultRoute.Create("POST", Path + "wrapkey", KeysApi.Kind, "wrapKey", "KeyWrap",
            (r, c) => RunAsync(r, "wrapKey", c)),
        KeyVaultRoute.Create("POST", Path + "unwrapkey", KeysApi.Kind, "unwrapKey", "KeyUnwrap",
            (r, c) => RunAsync(r, "unwrapKey", c)),
        KeyVaultRoute.Create("POST", Path + "sign", KeysApi.Kind, "sign", "KeySign", (r, c) => RunAsync(r, "sign", c)),
        KeyVaultRoute.Create("POST", Path + "verify", KeysApi.Kind, "verify", "KeyVerify",
            (r, c) => RunAsync(r, "verify", c)),
    ];

    private async Task<ArmResponse> RunAsync(KeyVaultRequest request, string operation,
        CancellationToken cancellationToken)
    {
        var (doc, version) = await keys.FindVersionAsync(request, cancellationToken);
        var body = await request.ReadBodyAsync(cancellationToken);
        if ((bool?)version["enabled"] == false)
        {
            throw KeyVaultErrors.KeyDisabled(operation);
        }

        if (!version["keyOps"]!.AsArray().Any(op => string.Equals((string?)op, operation,
            StringComparison.OrdinalIgnoreCase)))
        {
            throw KeyVaultErrors.KeyOperationNotAllowed(operation);
        }

        var algorithm = VaultObjectRules.String(body,
            "alg") ?? throw KeyVaultErrors.BadParameter("The property 'alg' is required.");
        var value = Bytes(body, "value");
        var kid = KeyWire.Kid(request, doc, version);
        var kty = (string)version["kty"]!;
        try
        {
            if (KeyTypeRules.IsEc(kty))
            {
                return RunEc(version["jwk"]!.AsObject(), operation, algorithm, kid, value, body);
            }

            using var rsa = RsaJwk.ToRsa(version["jwk"]!.AsObject());
            return operation switch
            {
                "encrypt" or "wrapKey" => Result(kid, rsa.Encrypt(value, Padding(algorithm))),
                "decrypt" or "unwrapKey" => Result(kid, rsa.Decrypt(value, Padding(algorithm))),
                "sign" => Result(kid, rsa.SignHash(Digest(value, algorithm), Hash(algorithm),
                    SignaturePadding(algorithm))),
                _ => ArmResponse.Ok(new JsonObject
                {
                    ["value"] = rsa.VerifyHash(Digest(Bytes(body, "digest"), algorithm), value, Hash(algorithm),
                        SignaturePadding(algorithm)),
                }),
            };
        }
        catch (CryptographicException)
        {
            throw KeyVaultErrors.BadParameter($"The {operation} operation failed: the input is not valid for algorithm {algorithm} and this key.");
        }
    }

    /// <summary>
    /// ECDSA: ES256 on P-256, ES384 on P-384, ES512 on P-521, over a digest of the algorithm's length; signatures are r
    /// || s.
    /// </summary>
    private static ArmResponse RunEc(JsonObject stored, string operation, string algorithm, string kid, byte[] value,
        JsonObject body)
    {
        var curve = (string)stored["crv"]!;
        var expected = EcJwk.Algorithm(curve);
        if (algorithm != expected)
        {
            throw KeyVaultErrors.BadParameter($"Invalid algorithm: {algorithm}. A key on curve {curve} signs with {expected}.");
        }

        using var ecdsa = EcJwk.ToECDsa(stored);
        return operation switch
        {
            "sign" => Result(kid, ecdsa.SignHash(Digest(value, algorithm))),
            "verify" => ArmResponse.Ok(new JsonObject { ["value"] = ecdsa.VerifyHash(Digest(Bytes(body, "digest"),
                algorithm), value) }),
            _ => throw KeyVaultErrors.BadParameter($"The {operation} operation is not supported by an EC key."),
        };
    }

    private static ArmResponse Result(string kid,
        byte[] value) => ArmResponse.Ok(new JsonObject { ["kid"] = kid, ["value"] = RsaJwk.Encode(value) });

    private static byte[] Bytes(JsonObject body, string name)
    {
        var text = VaultObjectRules.String(body,
            name) ?? throw KeyVaultErrors.BadParameter($"The property '{name}' is required.");
        try
        {
            return RsaJwk.Decode(text);
        }
        catch (FormatException)
        {
            throw KeyVaultErrors.BadParameter($"The property '{name}' must be base64url encoded.");
        }
    }

    private static RSAEncryptionPadding Padding(string algorithm) => algorithm switch
    {
        "RSA-OAEP" => RSAEncryptionPadding.OaepSHA1,
        "RSA-OAEP-256" => RSAEncryptionPadding.OaepSHA256,
        "RSA1_5" => RSAEncryptionPadding.Pkcs1,
        _ => throw KeyVaultErrors.BadParameter($"Invalid algorithm: {algorithm}. Supported: RSA-OAEP, RSA-OAEP-256, RSA1_5."),
    };

    private static HashAlgorithmName Hash(string algorithm) => algorithm[2..] switch
    {
        "256" => HashAlgorithmName.SHA256,
        "384" => HashAlgorithmName.SHA384,
        "512" => HashAlgorithmName.SHA512,
        _ => throw KeyVaultErrors.BadParameter($"Invalid algorithm: {algorithm}."),
    };

    private static RSASignaturePadding SignaturePadding(string algorithm) => algorithm switch
    {
        "RS256" or "RS384" or "RS512" => RSASignaturePadding.Pkcs1,
        "PS256" or "PS384" or "PS512" => RSASignaturePadding.Pss,
        _ => throw KeyVaultErrors.BadParameter($"Invalid algorithm: {algorithm}. Supported: RS256, RS384, RS512, PS256, PS384, PS512."),
    };

    private static byte[] Digest(byte[] digest, string algorithm)
    {
        var expected = algorithm.Length == 5 ? int.Parse(algorithm[2..],
            System.Globalization.CultureInfo.InvariantCulture) / 8 : -1;
        return digest.Length == expected ? digest : throw KeyVaultErrors.BadParameter($"The digest length {digest.Length} does not match algorithm {algorithm}.");
    }
}
