using System.Security.Cryptography;
using Azure;
using EdgeKv.Azure.Keys;
using EdgeKv.Azure.Vaults;
using EdgeKv.Emulator;

namespace EdgeKv.Azure.Tests.KeyVault;

[TestClass]
public sealed class KeysDataPlaneTests
{
    private static readonly string ResourceGroup = TestEmulator.UniqueName("rg-keys-");
    private static EdgeKvAzureClientFactory factory = null!;
    private static VaultProperties vault = null!;
    private static KeysClient keys = null!;

    [ClassInitialize]
    public static async Task InitializeAsync(TestContext context)
    {
        factory = TestEmulator.Factory(TestEmulator.Shared);
        vault = await DataPlaneVaults.CreateAsync(TestEmulator.Shared, ResourceGroup,
            TestEmulator.UniqueName("kv-keys-"), false,
            (EmulatorPrincipals.EdgeKvService, [], DataPlaneVaults.AllKeys),
            (EmulatorPrincipals.Operator, [], ["get"]));
        keys = factory.CreateKeysClient(vault.VaultUri!);
    }

    [TestMethod]
    [DataRow(2048)]
    [DataRow(3072)]
    [DataRow(4096)]
    public async Task CreateRsaKey_EachSize_ReturnsOnlyThePublicKey(int size)
    {
        var key = await keys.CreateRsaKeyAsync($"rsa{size}", size);

        Assert.AreEqual("RSA", key.KeyType);
        Assert.AreEqual(size / 8, key.Modulus.Length);
        CollectionAssert.AreEquivalent(new[] { "encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey" },
            key.KeyOperations.ToArray());
        using var http = new DataPlaneHttp(TestEmulator.Shared);
        var (_, raw, _) = await http.SendAsync(HttpMethod.Get, $"vaults/{vault.Name}/keys/rsa{size}?api-version=7.6");
        var jwk = raw!["key"]!.AsObject();
        Assert.IsTrue(jwk.ContainsKey("n"));
        Assert.IsFalse(new[] { "d", "p", "q", "dp", "dq", "qi" }.Any(jwk.ContainsKey));
    }

    [TestMethod]
    public async Task Rotation_AddsAVersion_OlderVersionsStayListedAndUsable()
    {
        var first = await keys.CreateRsaKeyAsync("rotated");
        var second = await keys.CreateRsaKeyAsync("rotated");

        var versions = await keys.GetPropertiesOfKeyVersionsAsync("rotated");
        CollectionAssert.AreEquivalent(new[] { first.Properties.Version, second.Properties.Version },
            versions.Select(v => v.Version).ToArray());
        Assert.AreEqual(second.Properties.Version, (await keys.GetKeyAsync("rotated")).Properties.Version);
        var old = keys.GetCryptographyClient("rotated", first.Properties.Version);
        var encrypted = await old.EncryptAsync(KeyAlgorithms.RsaOaep256, "hello"u8.ToArray());
        CollectionAssert.AreEqual("hello"u8.ToArray(),
            (await old.DecryptAsync(KeyAlgorithms.RsaOaep256, encrypted.Value)).Value);
        Assert.AreEqual(first.Id, encrypted.KeyId);
    }

    [TestMethod]
    public async Task ImportedForSign_SignsAndVerifies_ButCannotEncrypt()
    {
        using var rsa = RSA.Create(2048);
        var imported = await keys.ImportRsaKeyAsync("signer", rsa, [KeyOperations.Sign, KeyOperations.Verify]);
        var crypto = keys.GetCryptographyClient("signer");
        var digest = SHA256.HashData("payload"u8);

        var signature = await crypto.SignAsync(KeyAlgorithms.RS256, digest);
        Assert.IsTrue(await crypto.VerifyAsync(KeyAlgorithms.RS256, digest, signature.Value));
        Assert.IsTrue(rsa.VerifyHash(digest, signature.Value, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        using var publicKey = imported.ToRsa();
        Assert.IsTrue(publicKey.VerifyHash(digest, signature.Value, HashAlgorithmName.SHA256,
            RSASignaturePadding.Pkcs1));

        var error = await Assert.ThrowsExactlyAsync<RequestFailedException>(() => crypto.EncryptAsync(KeyAlgorithms.RsaOaep, [1, 2, 3]));
        Assert.AreEqual(403, error.Status);
        Assert.AreEqual("Forbidden", error.ErrorCode);
        StringAssert.Contains(error.Message, "KeyOperationForbidden");
    }

    [TestMethod]
    [DataRow(KeyAlgorithms.RsaOaep)]
    [DataRow(KeyAlgorithms.RsaOaep256)]
    public async Task EncryptDecrypt_AndWrapUnwrap_RoundTrip(string algorithm)
    {
        await keys.CreateRsaKeyAsync("crypto-" + algorithm.ToLowerInvariant());
        var crypto = keys.GetCryptographyClient("crypto-" + algorithm.ToLowerInvariant());
        var secret = RandomNumberGenerator.GetBytes(32);

        var encrypted = await crypto.EncryptAsync(algorithm, secret);
        var wrapped = await crypto.WrapKeyAsync(algorithm, secret);

        CollectionAssert.AreEqual(secret, (await crypto.DecryptAsync(algorithm, encrypted.Value)).Value);
        CollectionAssert.AreEqual(secret, (await crypto.UnwrapKeyAsync(algorithm, wrapped.Value)).Value);
    }

    [TestMethod]
    public async Task Update_RemovingAnOperationOrDisabling_RefusesIt()
    {
        await keys.CreateRsaKeyAsync("narrowed");
        var crypto = keys.GetCryptographyClient("narrowed");
        var encrypted = await crypto.EncryptAsync(KeyAlgorithms.RsaOaep, [7]);

        var updated = await keys.UpdateKeyPropertiesAsync("narrowed", keyOperations: [KeyOperations.Encrypt]);
        CollectionAssert.AreEqual(new[] { "encrypt" }, updated.KeyOperations.ToArray());
        Assert.AreEqual(403, (await Assert.ThrowsExactlyAsync<RequestFailedException>(() => crypto.DecryptAsync(KeyAlgorithms.RsaOaep, encrypted.Value))).Status);

        // The SDK may encrypt locally with the public key it read: the vault's refusal shows on a private-key
        // operation.
        await keys.UpdateKeyPropertiesAsync("narrowed", enabled: false,
            keyOperations: [KeyOperations.Encrypt, KeyOperations.Decrypt]);
        var disabled = await Assert.ThrowsExactlyAsync<RequestFailedException>(() => crypto.DecryptAsync(KeyAlgorithms.RsaOaep, encrypted.Value));
        Assert.AreEqual(403, disabled.Status);
        StringAssert.Contains(disabled.Message, "KeyDisabled");
    }

    [TestMethod]
    public async Task Delete_Recover_Purge()
    {
        await keys.CreateRsaKeyAsync("short-lived");

        var deleted = await keys.DeleteKeyAsync("short-lived");
        Assert.AreEqual("short-lived", deleted.Key.Name);
        Assert.AreEqual(404, (await Assert.ThrowsExactlyAsync<RequestFailedException>(() => keys.GetKeyAsync("short-lived"))).Status);
        Assert.AreEqual(409, (await Assert.ThrowsExactlyAsync<RequestFailedException>(() => keys.CreateRsaKeyAsync("short-lived"))).Status);
        Assert.AreEqual("short-lived", (await keys.GetDeletedKeyAsync("short-lived")).Key.Name);

        await keys.RecoverDeletedKeyAsync("short-lived");
        Assert.AreEqual("short-lived", (await keys.GetKeyAsync("short-lived")).Name);

        await keys.DeleteKeyAsync("short-lived");
        await keys.PurgeDeletedKeyAsync("short-lived");
        var gone = await Assert.ThrowsExactlyAsync<RequestFailedException>(() => keys.GetDeletedKeyAsync("short-lived"));
        Assert.AreEqual("KeyNotFound", gone.ErrorCode);
    }

    [TestMethod]
    public async Task AccessPolicy_GetOnly_CannotCreateOrUse()
    {
        await keys.CreateRsaKeyAsync("guarded");
        var p = TestEmulator.Shared.GetPrincipal(EmulatorPrincipals.Operator);
        var limited = factory.CreateKeysClient(vault.VaultUri!,
            factory.CreateEmulatorCredential(p.ClientId.ToString(), p.ClientSecret));

        Assert.AreEqual("guarded", (await limited.GetKeyAsync("guarded")).Name);
        var create = await Assert.ThrowsExactlyAsync<RequestFailedException>(() => limited.CreateRsaKeyAsync("other"));
        var sign = await Assert.ThrowsExactlyAsync<RequestFailedException>(() => limited.GetCryptographyClient("guarded").SignAsync(KeyAlgorithms.RS256, new byte[32]));

        Assert.AreEqual(403, create.Status);
        StringAssert.Contains(create.Message, "ForbiddenByPolicy");
        Assert.AreEqual(403, sign.Status);
    }

    [TestMethod]
    public async Task InvalidRequests_Answer400()
    {
        var size = await Assert.ThrowsExactlyAsync<RequestFailedException>(() => keys.CreateRsaKeyAsync("small", 1024));
        var name = await Assert.ThrowsExactlyAsync<RequestFailedException>(() => keys.CreateRsaKeyAsync("bad_name"));
        await keys.CreateRsaKeyAsync("alg");
        var alg = await Assert.ThrowsExactlyAsync<RequestFailedException>(() => keys.GetCryptographyClient("alg").EncryptAsync("A128GCM", [1]));
        var digest = await Assert.ThrowsExactlyAsync<RequestFailedException>(() => keys.GetCryptographyClient("alg").SignAsync(KeyAlgorithms.RS256, [1, 2]));

        foreach (var error in new[] { size, name, alg, digest })
        {
            Assert.AreEqual(400, error.Status);
            Assert.AreEqual("BadParameter", error.ErrorCode);
        }
    }
}
