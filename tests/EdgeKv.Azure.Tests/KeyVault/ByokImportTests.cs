using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Azure;
using EdgeKv.Azure.Keys;
using EdgeKv.Azure.Vaults;

namespace EdgeKv.Azure.Tests.KeyVault;

/// <summary>
/// Bring Your Own Key with EdgeKv's KeysClient and ByokTransferBlob against the emulator over HTTPS: a Key Exchange Key
/// in a premium vault, the key wrapped for it, imported as RSA-HSM / EC-HSM; wrong, altered and misplaced blobs
/// refused.
/// </summary>
[TestClass]
public sealed class ByokImportTests
{
    private static readonly string ResourceGroup = TestEmulator.UniqueName("rg-byok-");
    private static KeysClient premium = null!;
    private static KeysClient otherPremium = null!;
    private static KeysClient standard = null!;
    private static KeyVaultKey kek = null!;

    [ClassInitialize]
    public static async Task InitializeAsync(TestContext context)
    {
        var factory = TestEmulator.Factory(TestEmulator.Shared);
        var premiumVault = await DataPlaneVaults.CreateAsync(TestEmulator.Shared, ResourceGroup,
            TestEmulator.UniqueName("kv-prem-"), "premium");
        var otherVault = await DataPlaneVaults.CreateAsync(TestEmulator.Shared, ResourceGroup,
            TestEmulator.UniqueName("kv-prem2-"), "premium");
        var standardVault = await DataPlaneVaults.CreateAsync(TestEmulator.Shared, ResourceGroup,
            TestEmulator.UniqueName("kv-std-"), "standard");
        premium = factory.CreateKeysClient(premiumVault.VaultUri!);
        otherPremium = factory.CreateKeysClient(otherVault.VaultUri!);
        standard = factory.CreateKeysClient(standardVault.VaultUri!);
        kek = await premium.CreateKeyExchangeKeyAsync("kek");
    }

    [TestMethod]
    public void KeyExchangeKey_IsAnRsaHsmKeyWithOnlyImport()
    {
        Assert.AreEqual(KeyTypes.RsaHsm, kek.KeyType);
        Assert.IsTrue(kek.HardwareProtected);
        Assert.AreEqual(256, kek.Modulus.Length);
        CollectionAssert.AreEqual(new[] { KeyOperations.Import }, kek.KeyOperations.ToArray());
    }

    [TestMethod]
    [DataRow(ByokTransferBlob.RsaAesKeyWrap)]
    [DataRow(ByokTransferBlob.RsaAesKeyWrap256)]
    public async Task Byok_RsaKey_IsImportedAsRsaHsm_WithTheSourcesPublicKey(string encryption)
    {
        using var source = RSA.Create(2048);
        var blob = ByokTransferBlob.Create(kek, source, encryption);
        var name = "byok-rsa-" + (encryption == ByokTransferBlob.RsaAesKeyWrap ? "sha1" : "sha256");

        var imported = await premium.ImportKeyAsync(name,
            JsonWebKey.FromByok(KeyTypes.RsaHsm, blob, [KeyOperations.Encrypt, KeyOperations.Decrypt]),
            tags: new Dictionary<string, string> { ["edgekv-version"] = "1" });

        Assert.AreEqual(KeyTypes.RsaHsm, imported.KeyType);
        CollectionAssert.AreEqual(source.ExportParameters(false).Modulus, imported.Modulus);
        CollectionAssert.AreEqual(source.ExportParameters(false).Exponent, imported.Exponent);
        Assert.AreEqual("1", imported.Properties.Tags["edgekv-version"]);
        var encrypted = source.Encrypt("material"u8.ToArray(), RSAEncryptionPadding.OaepSHA256);
        CollectionAssert.AreEqual("material"u8.ToArray(),
            (await premium.GetCryptographyClient(name).DecryptAsync(KeyAlgorithms.RsaOaep256, encrypted)).Value);
    }

    [TestMethod]
    public async Task Byok_EcKey_IsImportedAsEcHsm_AndSignsForTheSourcesPublicKey()
    {
        using var source = ECDsa.Create(ECCurve.NamedCurves.nistP521);
        var blob = ByokTransferBlob.Create(kek, source);

        var imported = await premium.ImportKeyAsync("byok-ec",
            JsonWebKey.FromByok(KeyTypes.EcHsm, blob, [KeyOperations.Sign], KeyCurveNames.P521));
        var digest = SHA512.HashData("payload"u8);
        var signature = await premium.GetCryptographyClient("byok-ec").SignAsync(KeyAlgorithms.ES512, digest);

        Assert.AreEqual(KeyTypes.EcHsm, imported.KeyType);
        Assert.AreEqual(KeyCurveNames.P521, imported.CurveName);
        CollectionAssert.AreEqual(source.ExportParameters(false).Q.X, imported.X);
        CollectionAssert.AreEqual(source.ExportParameters(false).Q.Y, imported.Y);
        Assert.IsTrue(source.VerifyHash(digest, signature.Value));
    }

    [TestMethod]
    public async Task Byok_RotatedKey_AddsAVersion_OlderStaysListed()
    {
        using var v1 = RSA.Create(2048);
        using var v2 = RSA.Create(2048);

        var first = await premium.ImportKeyAsync("byok-rotated",
            JsonWebKey.FromByok(KeyTypes.RsaHsm, ByokTransferBlob.Create(kek, v1), [KeyOperations.Sign]));
        var second = await premium.ImportKeyAsync("byok-rotated",
            JsonWebKey.FromByok(KeyTypes.RsaHsm, ByokTransferBlob.Create(kek, v2), [KeyOperations.Sign]));

        var versions = await premium.GetPropertiesOfKeyVersionsAsync("byok-rotated");
        CollectionAssert.AreEquivalent(new[] { first.Properties.Version, second.Properties.Version },
            versions.Select(v => v.Version).ToArray());
        CollectionAssert.AreEqual(v2.ExportParameters(false).Modulus,
            (await premium.GetKeyAsync("byok-rotated")).Modulus);
    }

    [TestMethod]
    public async Task Byok_BlobWrappedForAnotherKey_IsRefused()
    {
        using var source = RSA.Create(2048);
        using var stranger = RSA.Create(2048);
        var blob = ByokTransferBlob.Create(kek.Id, stranger, source);

        var error = await Assert.ThrowsExactlyAsync<RequestFailedException>(() =>
            premium.ImportKeyAsync("byok-stranger", JsonWebKey.FromByok(KeyTypes.RsaHsm, blob, [KeyOperations.Sign])));

        AssertBadParameter(error, "could not be unwrapped");
        await AssertAbsentAsync(premium, "byok-stranger");
    }

    [TestMethod]
    public async Task Byok_AlteredBlob_IsRefused()
    {
        using var source = RSA.Create(2048);
        var blob = JsonNode.Parse(ByokTransferBlob.Create(kek, source))!.AsObject();
        var ciphertext = Base64Url.DecodeFromChars((string)blob["ciphertext"]!);
        ciphertext[^5] ^= 0x40;
        blob["ciphertext"] = Base64Url.EncodeToString(ciphertext);

        var error = await Assert.ThrowsExactlyAsync<RequestFailedException>(() =>
            premium.ImportKeyAsync("byok-altered",
                JsonWebKey.FromByok(KeyTypes.RsaHsm, Encoding.UTF8.GetBytes(blob.ToJsonString()),
                    [KeyOperations.Sign])));

        AssertBadParameter(error, "could not be unwrapped");
        await AssertAbsentAsync(premium, "byok-altered");
    }

    [TestMethod]
    public async Task Byok_KeyExchangeKeyOfAnotherVault_IsRefused()
    {
        using var source = RSA.Create(2048);
        var foreignKek = await otherPremium.CreateKeyExchangeKeyAsync("foreign-kek");

        var error = await Assert.ThrowsExactlyAsync<RequestFailedException>(() =>
            premium.ImportKeyAsync("byok-foreign",
                JsonWebKey.FromByok(KeyTypes.RsaHsm, ByokTransferBlob.Create(foreignKek, source),
                    [KeyOperations.Sign])));

        AssertBadParameter(error, "not in this vault");
        await AssertAbsentAsync(premium, "byok-foreign");
    }

    [TestMethod]
    public async Task Byok_KeyExchangeKeyWithoutImport_IsRefusedWith403()
    {
        using var source = RSA.Create(2048);
        var notKek = await premium.CreateRsaKeyAsync("hsm-wrapper",
            keyOperations: [KeyOperations.WrapKey, KeyOperations.UnwrapKey], hardwareProtected: true);

        var error = await Assert.ThrowsExactlyAsync<RequestFailedException>(() =>
            premium.ImportKeyAsync("byok-nokek",
                JsonWebKey.FromByok(KeyTypes.RsaHsm, ByokTransferBlob.Create(notKek, source), [KeyOperations.Sign])));

        Assert.AreEqual(403, error.Status);
        Assert.AreEqual("Forbidden", error.ErrorCode);
        StringAssert.Contains(error.Message, "KeyOperationForbidden");
        await AssertAbsentAsync(premium, "byok-nokek");
    }

    [TestMethod]
    public async Task Byok_DisabledKeyExchangeKey_IsRefusedWith403KeyDisabled()
    {
        using var source = RSA.Create(2048);
        var disabledKek = await premium.CreateKeyExchangeKeyAsync("kek-disabled");
        await premium.UpdateKeyPropertiesAsync("kek-disabled", disabledKek.Properties.Version, enabled: false);

        var error = await Assert.ThrowsExactlyAsync<RequestFailedException>(() =>
            premium.ImportKeyAsync("byok-disabled-kek",
                JsonWebKey.FromByok(KeyTypes.RsaHsm, ByokTransferBlob.Create(disabledKek, source),
                    [KeyOperations.Sign])));

        Assert.AreEqual(403, error.Status);
        StringAssert.Contains(error.Message, "KeyDisabled");
        await AssertAbsentAsync(premium, "byok-disabled-kek");
    }

    [TestMethod]
    public async Task Byok_EcBlobWithAnotherCurveNamed_IsRefused()
    {
        using var source = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var error = await Assert.ThrowsExactlyAsync<RequestFailedException>(() =>
            premium.ImportKeyAsync("byok-curve",
                JsonWebKey.FromByok(KeyTypes.EcHsm, ByokTransferBlob.Create(kek, source), [KeyOperations.Sign],
                    KeyCurveNames.P384)));

        AssertBadParameter(error, "P-256");
        await AssertAbsentAsync(premium, "byok-curve");
    }

    [TestMethod]
    public async Task Byok_RsaBlobImportedAsEcHsm_IsRefused()
    {
        using var source = RSA.Create(2048);

        var error = await Assert.ThrowsExactlyAsync<RequestFailedException>(() =>
            premium.ImportKeyAsync("byok-family",
                JsonWebKey.FromByok(KeyTypes.EcHsm, ByokTransferBlob.Create(kek, source), [KeyOperations.Sign])));

        AssertBadParameter(error, "EC-HSM");
    }

    [TestMethod]
    public async Task JwkImport_WithHardwareProtection_InAPremiumVault_IsAnHsmKey()
    {
        using var rsa = RSA.Create(2048);
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var rsaHsm = await premium.ImportKeyAsync("jwk-rsa-hsm", JsonWebKey.FromRsa(rsa, true, [KeyOperations.Sign]),
            hardwareProtected: true);
        var ecHsm = await premium.ImportKeyAsync("jwk-ec-hsm", JsonWebKey.FromECDsa(ec, true, [KeyOperations.Sign]),
            hardwareProtected: true);

        Assert.AreEqual(KeyTypes.RsaHsm, rsaHsm.KeyType);
        Assert.AreEqual(KeyTypes.EcHsm, ecHsm.KeyType);
        Assert.IsTrue(ecHsm.HardwareProtected);
    }

    [TestMethod]
    public async Task KeyExchangeKey_CannotBeUsedForCryptography()
    {
        var crypto = premium.GetCryptographyClient("kek");

        var error = await Assert.ThrowsExactlyAsync<RequestFailedException>(() => crypto.UnwrapKeyAsync(KeyAlgorithms.RsaOaep, new byte[256]));

        Assert.AreEqual(403, error.Status);
        StringAssert.Contains(error.Message, "KeyOperationForbidden");
    }

    [TestMethod]
    public async Task StandardVault_RefusesEveryHsmKey()
    {
        using var source = RSA.Create(2048);
        var refusals = new[]
        {
            await Assert.ThrowsExactlyAsync<RequestFailedException>(() => standard.CreateKeyExchangeKeyAsync("kek")),
            await Assert.ThrowsExactlyAsync<RequestFailedException>(() => standard.CreateEcKeyAsync("ec-hsm",
                KeyCurveNames.P256, hardwareProtected: true)),
            await Assert.ThrowsExactlyAsync<RequestFailedException>(() =>
                standard.ImportKeyAsync("jwk-hsm", JsonWebKey.FromRsa(source, true, [KeyOperations.Sign]),
                    hardwareProtected: true)),
            await Assert.ThrowsExactlyAsync<RequestFailedException>(() =>
                standard.ImportKeyAsync("byok",
                    JsonWebKey.FromByok(KeyTypes.RsaHsm, ByokTransferBlob.Create(kek, source), [KeyOperations.Sign]))),
        };

        foreach (var error in refusals)
        {
            AssertBadParameter(error, "Hardware key operation not allowed on standard vault");
        }

        Assert.IsEmpty(await standard.GetPropertiesOfKeysAsync());
    }

    [TestMethod]
    public async Task RefusedImport_ExceptionCarriesNoKeyMaterial()
    {
        using var source = RSA.Create(2048);
        var jwk = JsonWebKey.FromRsa(source, true, [KeyOperations.Sign]);

        var error = await Assert.ThrowsExactlyAsync<RequestFailedException>(() => standard.ImportKeyAsync("leak", jwk,
            hardwareProtected: true));

        var text = error.ToString();
        foreach (var part in new[] { jwk.D!, jwk.P!, jwk.Q! })
        {
            Assert.DoesNotContain(Base64Url.EncodeToString(part)[..24], text);
            Assert.DoesNotContain(Convert.ToBase64String(part)[..24], text);
        }
    }

    private static void AssertBadParameter(RequestFailedException error, string fragment)
    {
        Assert.AreEqual(400, error.Status);
        Assert.AreEqual("BadParameter", error.ErrorCode);
        StringAssert.Contains(error.Message, fragment);
    }

    private static async Task AssertAbsentAsync(KeysClient client, string name) =>
        Assert.AreEqual(404, (await Assert.ThrowsExactlyAsync<RequestFailedException>(() => client.GetKeyAsync(name))).Status);
}
