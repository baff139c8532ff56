using System.Globalization;
using System.Security.Cryptography;
using EdgeKv.Azure.Keys;
using EdgeKv.Records.Keys;

namespace EdgeKv.Activities.Keys;

/// <summary>
/// Puts one EdgeKv key version into a vault as the key's new current version, with exactly the distribution's purpose
/// as its operations and EdgeKv's version number as a tag. <c>hsm</c> follows Azure's Bring Your Own Key specification
/// (a Key Exchange Key in the vault with only <c>import</c>, the private key wrapped for it: RSA-OAEP-256 over an
/// ephemeral AES key, AES key wrap with padding over the PKCS#8 key; imported as RSA-HSM / EC-HSM with <c>key_hsm</c>);
/// <c>software</c> imports the JWK over TLS. Either way the material is on the wire only inside the import call.
/// </summary>
public static class VaultKeyImport
{
    /// <summary>The Key Exchange Key EdgeKv keeps in each premium vault it distributes HSM keys to.</summary>
    public const string KeyExchangeKeyName = "edgekv-byok-kek";

    public static async Task<KeyVaultKey> ImportAsync(KmsVault vault, KeyRecord key, int version, byte[] material,
        KeyDistributionRecord distribution,
        Action<string>? keyExchangeKeyCreated, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(vault);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(distribution);
        var tags = Tags(key.Name, version);
        bool enabled = version >= key.MinEnabledVersion;
        JsonWebKey jwk;
        bool hsm = distribution.Protection == KeyProtections.Hsm;
        if (hsm)
        {
            KeyVaultKey kek = await KeyExchangeKeyAsync(vault, keyExchangeKeyCreated, cancellationToken);
            byte[] blob;
            if (ManagedKeyTypes.IsRsa(key.Type))
            {
                using RSA rsa = KeyMaterial.OpenRsa(material);
                blob = ByokTransferBlob.Create(kek, rsa, ByokTransferBlob.RsaAesKeyWrap256);
            }
            else
            {
                using ECDsa ec = KeyMaterial.OpenEc(material);
                blob = ByokTransferBlob.Create(kek, ec, ByokTransferBlob.RsaAesKeyWrap256);
            }

            jwk = JsonWebKey.FromByok(ManagedKeyTypes.IsRsa(key.Type) ? KeyTypes.RsaHsm : KeyTypes.EcHsm, blob,
                distribution.Purpose, ManagedKeyTypes.CurveName(key.Type));
        }
        else if (ManagedKeyTypes.IsRsa(key.Type))
        {
            using RSA rsa = KeyMaterial.OpenRsa(material);
            jwk = JsonWebKey.FromRsa(rsa, includePrivateParameters: true, distribution.Purpose);
        }
        else
        {
            using ECDsa ec = KeyMaterial.OpenEc(material);
            jwk = JsonWebKey.FromECDsa(ec, includePrivateParameters: true, distribution.Purpose);
        }

        try
        {
            return await vault.Keys.ImportKeyAsync(key.Name, jwk, hardwareProtected: hsm, tags, enabled,
                cancellationToken);
        }
        finally
        {
            Zero(jwk);
        }
    }

    public static Dictionary<string, string> Tags(string keyName, int version) => new()
    {
        [KmsVault.EdgeKvKeyTag] = keyName,
        [KmsVault.EdgeKvVersionTag] = version.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>The vault's Key Exchange Key, created (RSA-HSM, only <c>import</c>) when it has none.</summary>
    private static async Task<KeyVaultKey> KeyExchangeKeyAsync(KmsVault vault, Action<string>? created,
        CancellationToken cancellationToken)
    {
        try
        {
            KeyVaultKey existing = await vault.Keys.GetKeyAsync(KeyExchangeKeyName,
                cancellationToken: cancellationToken);
            if (existing.Properties.Enabled) return existing;
        }
        catch (global::Azure.RequestFailedException ex) when (ex.Status == 404)
        {
            // None yet: created below.
        }

        KeyVaultKey kek = await vault.Keys.CreateKeyExchangeKeyAsync(KeyExchangeKeyName, cancellationToken);
        created?.Invoke(KeyExchangeKeyName);
        return kek;
    }

    private static void Zero(JsonWebKey jwk)
    {
        foreach (byte[]? part in new[] { jwk.D, jwk.P, jwk.Q, jwk.DP, jwk.DQ, jwk.QI, jwk.KeyHsm })
        {
            if (part is not null) CryptographicOperations.ZeroMemory(part);
        }
    }
}
