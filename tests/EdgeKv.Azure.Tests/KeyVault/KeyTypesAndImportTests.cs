using System.Security.Cryptography;
using Azure;
using EdgeKv.Azure.Keys;
using EdgeKv.Azure.Vaults;

namespace EdgeKv.Azure.Tests.KeyVault;

/// <summary>
/// EC keys, JWK import, key_ops, per-version attributes and tags, with EdgeKv's KeysClient against the emulator.
/// </summary>
[TestClass]
public sealed class KeyTypesAndImportTests
{
    private static readonly string ResourceGroup = TestEmulator.UniqueName("rg-ktypes-");
    private static VaultProperties vault = null!;
    private static KeysClient keys = null!;

    [ClassInitialize]
    public static async Task InitializeAsync(TestContext context)
    {
        vault = await DataPlaneVaults.CreateAsync(TestEmulator.Shared, ResourceGroup,
            TestEmulator.UniqueName("kv-ktypes-"));
        keys = TestEmulator.Factory(TestEmulator.Shared).CreateKeysClient(vault.VaultUri!);
    }

    [TestMethod]
    [DataRow(KeyCurveNames.P256, KeyAlgorithms.ES256)]
    [DataRow(KeyCurveNames.P384, KeyAlgorithms.ES384)]
    [DataRow(KeyCurveNames.P521, KeyAlgorithms.ES512)]
    public async Task CreateEcKey_SignsInTheVault_AndTheSignatureVerifiesThereAndLocally(string curve, string algorithm)
    {
        var name = "ec-" + curve.ToLowerInvariant();
        var key = await keys.CreateEcKeyAsync(name, curve);
        var crypto = keys.GetCryptographyClient(name);
        var digest = Digest(algorithm, "payload"u8.ToArray());

        var signature = await crypto.SignAsync(algorithm, digest);

        Assert.AreEqual(KeyTypes.Ec, key.KeyType);
        Assert.AreEqual(curve, key.CurveName);
        CollectionAssert.AreEquivalent(new[] { KeyOperations.Sign, KeyOperations.Verify }, key.KeyOperations.ToArray());
        Assert.IsTrue(await crypto.VerifyAsync(algorithm, digest, signature.Value));
        using var publicKey = key.ToECDsa();
        Assert.IsTrue(publicKey.VerifyHash(digest, signature.Value));
        digest[0] ^= 1;
        Assert.IsFalse(await crypto.VerifyAsync(algorithm, digest, signature.Value));
    }

    [TestMethod]
    public async Task EcKey_WithAnotherCurvesAlgorithm_Answers400()
    {
        await keys.CreateEcKeyAsync("ec-mismatch", KeyCurveNames.P256);

        var error = await Assert.ThrowsExactlyAsync<RequestFailedException>(() =>
            keys.GetCryptographyClient("ec-mismatch").SignAsync(KeyAlgorithms.ES384, new byte[48]));

        Assert.AreEqual(400, error.Status);
        Assert.AreEqual("BadParameter", error.ErrorCode);
    }

    [TestMethod]
    public async Task EcKey_WithEncryptInKeyOps_IsRefusedAsAzureRefusesIt()
    {
        var error = await Assert.ThrowsExactlyAsync<RequestFailedException>(() =>
            keys.CreateEcKeyAsync("ec-encrypt", KeyCurveNames.P256, [KeyOperations.Sign, KeyOperations.Encrypt]));

        Assert.AreEqual(400, error.Status);
        Assert.AreEqual("BadParameter", error.ErrorCode);
        StringAssert.Contains(error.Message, "Unsupported key operation(s): \"encrypt\"");
    }

    [TestMethod]
    public async Task ImportKey_RsaJwk_KeepsThePublicKeyAndOperations()
    {
        using var rsa = RSA.Create(3072);

        var imported = await keys.ImportKeyAsync("jwk-rsa",
            JsonWebKey.FromRsa(rsa, includePrivateParameters: true, [KeyOperations.WrapKey, KeyOperations.UnwrapKey]));

        Assert.AreEqual(KeyTypes.Rsa, imported.KeyType);
        CollectionAssert.AreEqual(rsa.ExportParameters(false).Modulus, imported.Modulus);
        CollectionAssert.AreEqual(new[] { KeyOperations.WrapKey, KeyOperations.UnwrapKey },
            imported.KeyOperations.ToArray());
        var crypto = keys.GetCryptographyClient("jwk-rsa");
        var wrapped = rsa.Encrypt([1, 2, 3], RSAEncryptionPadding.OaepSHA256);
        CollectionAssert.AreEqual(new byte[] { 1, 2, 3 },
            (await crypto.UnwrapKeyAsync(KeyAlgorithms.RsaOaep256, wrapped)).Value);
    }

    [TestMethod]
    public async Task ImportKey_EcJwk_SignsWithTheImportedKey()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP384);

        var imported = await keys.ImportKeyAsync("jwk-ec",
            JsonWebKey.FromECDsa(ecdsa, includePrivateParameters: true, [KeyOperations.Sign]), enabled: true);
        var digest = SHA384.HashData("data"u8);
        var signature = await keys.GetCryptographyClient("jwk-ec").SignAsync(KeyAlgorithms.ES384, digest);

        Assert.AreEqual(KeyCurveNames.P384, imported.CurveName);
        CollectionAssert.AreEqual(ecdsa.ExportParameters(false).Q.X, imported.X);
        Assert.IsTrue(ecdsa.VerifyHash(digest, signature.Value));
    }

    [TestMethod]
    public async Task ImportKey_Disabled_IsListedButRefusesOperations()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var imported = await keys.ImportKeyAsync("jwk-off", JsonWebKey.FromECDsa(ecdsa, true, [KeyOperations.Sign]),
            enabled: false);
        var error = await Assert.ThrowsExactlyAsync<RequestFailedException>(() =>
            keys.GetCryptographyClient("jwk-off").SignAsync(KeyAlgorithms.ES256, new byte[32]));

        Assert.IsFalse(imported.Properties.Enabled);
        Assert.AreEqual(403, error.Status);
        StringAssert.Contains(error.Message, "KeyDisabled");
    }

    [TestMethod]
    public async Task KeyOps_SignOnlyKey_RefusesEncryptAndWrapKeyWith403()
    {
        await keys.CreateRsaKeyAsync("sign-only", keyOperations: [KeyOperations.Sign]);
        var crypto = keys.GetCryptographyClient("sign-only");

        var encrypt = await Assert.ThrowsExactlyAsync<RequestFailedException>(() => crypto.EncryptAsync(KeyAlgorithms.RsaOaep256, [1]));
        var wrap = await Assert.ThrowsExactlyAsync<RequestFailedException>(() => crypto.WrapKeyAsync(KeyAlgorithms.RsaOaep256, new byte[32]));
        var verify = await Assert.ThrowsExactlyAsync<RequestFailedException>(() => crypto.VerifyAsync(KeyAlgorithms.RS256, new byte[32], new byte[256]));

        foreach (var error in new[] { encrypt, wrap, verify })
        {
            Assert.AreEqual(403, error.Status);
            Assert.AreEqual("Forbidden", error.ErrorCode);
            StringAssert.Contains(error.Message, "KeyOperationForbidden");
        }

        Assert.AreEqual(256, (await crypto.SignAsync(KeyAlgorithms.RS256, new byte[32])).Value.Length);
    }

    [TestMethod]
    public async Task DisablingOneVersion_RefusesThatVersionOnly_AndVersionsListTheirState()
    {
        var first = await keys.CreateRsaKeyAsync("per-version",
            tags: new Dictionary<string, string> { ["edgekv-version"] = "1" });
        var second = await keys.CreateRsaKeyAsync("per-version",
            tags: new Dictionary<string, string> { ["edgekv-version"] = "2" });

        var disabled = await keys.UpdateKeyPropertiesAsync("per-version", first.Properties.Version, enabled: false);
        // A private-key operation: the SDK may do public-key ones locally, the vault decides this one.
        var old = await Assert.ThrowsExactlyAsync<RequestFailedException>(() =>
            keys.GetCryptographyClient("per-version", first.Properties.Version).SignAsync(KeyAlgorithms.RS256,
                new byte[32]));
        var current = await keys.GetCryptographyClient("per-version",
            second.Properties.Version).SignAsync(KeyAlgorithms.RS256, new byte[32]);

        Assert.IsFalse(disabled.Properties.Enabled);
        Assert.AreEqual(403, old.Status);
        Assert.AreEqual("Forbidden", old.ErrorCode);
        StringAssert.Contains(old.Message, "KeyDisabled");
        Assert.AreEqual(second.Id, current.KeyId);
        var versions = (await keys.GetPropertiesOfKeyVersionsAsync("per-version")).ToDictionary(v => v.Version!);
        Assert.HasCount(2, versions);
        Assert.IsFalse(versions[first.Properties.Version!].Enabled);
        Assert.IsTrue(versions[second.Properties.Version!].Enabled);
        Assert.AreEqual("1", versions[first.Properties.Version!].Tags["edgekv-version"]);
        Assert.AreEqual("2", versions[second.Properties.Version!].Tags["edgekv-version"]);
    }

    [TestMethod]
    public async Task UpdateKeyProperties_TagsAndKeyOpsOfOneVersion_RoundTrip()
    {
        var first = await keys.CreateRsaKeyAsync("tagged");
        await keys.CreateRsaKeyAsync("tagged");

        await keys.UpdateKeyPropertiesAsync("tagged", first.Properties.Version, keyOperations: [KeyOperations.Verify],
            tags: new Dictionary<string, string> { ["edgekv-version"] = "7", ["purpose"] = "verify" });
        var read = await keys.GetKeyAsync("tagged", first.Properties.Version);

        Assert.AreEqual("7", read.Properties.Tags["edgekv-version"]);
        Assert.AreEqual("verify", read.Properties.Tags["purpose"]);
        CollectionAssert.AreEqual(new[] { KeyOperations.Verify }, read.Properties.KeyOperations.ToArray());
        Assert.AreEqual(first.Properties.CreatedOn, read.Properties.CreatedOn);
        Assert.IsEmpty((await keys.GetKeyAsync("tagged")).Properties.Tags);
    }

    [TestMethod]
    public async Task Versions_BeyondOnePage_AreAllListedThroughNextLink()
    {
        var created = new List<string>();
        for (var i = 0; i < 27; i++)
        {
            created.Add((await keys.CreateEcKeyAsync("many-versions", KeyCurveNames.P256,
                tags: new Dictionary<string, string> { ["n"] = $"{i}" })).Properties.Version!);
        }

        var listed = await keys.GetPropertiesOfKeyVersionsAsync("many-versions");

        CollectionAssert.AreEquivalent(created, listed.Select(v => v.Version).ToList());
        CollectionAssert.AreEquivalent(Enumerable.Range(0, 27).Select(i => $"{i}").ToList(),
            listed.Select(v => v.Tags["n"]).ToList());
        using var http = new DataPlaneHttp(TestEmulator.Shared);
        var (_, page, _) = await http.SendAsync(HttpMethod.Get,
            $"vaults/{vault.Name}/keys/many-versions/versions?api-version=7.6");
        Assert.HasCount(25, page!["value"]!.AsArray());
        Assert.IsNotNull((string?)page["nextLink"]);
    }

    [TestMethod]
    public async Task ImportOperation_OnASoftwareKey_IsRefused()
    {
        var error = await Assert.ThrowsExactlyAsync<RequestFailedException>(() => keys.CreateRsaKeyAsync("not-kek",
            keyOperations: [KeyOperations.Import]));

        Assert.AreEqual(400, error.Status);
        Assert.AreEqual("BadParameter", error.ErrorCode);
    }

    [TestMethod]
    public void JsonWebKey_ToString_CarriesNoMaterial()
    {
        using var rsa = RSA.Create(2048);
        var jwk = JsonWebKey.FromRsa(rsa, includePrivateParameters: true);

        var text = jwk.ToString();

        foreach (var part in new[] { jwk.D!, jwk.P!, jwk.Q!, jwk.N! })
        {
            Assert.DoesNotContain(Convert.ToBase64String(part)[..16], text);
            Assert.DoesNotContain(Convert.ToHexString(part)[..16], text);
        }
    }

    private static byte[] Digest(string algorithm, byte[] data) => algorithm switch
    {
        KeyAlgorithms.ES256 => SHA256.HashData(data),
        KeyAlgorithms.ES384 => SHA384.HashData(data),
        _ => SHA512.HashData(data),
    };
}
