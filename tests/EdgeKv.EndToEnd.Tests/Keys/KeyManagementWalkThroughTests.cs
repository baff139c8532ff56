using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Azure;
using EdgeKv.Azure.Keys;
using EdgeKv.Records.Keys;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeKv.EndToEnd.Tests.Keys;

/// <summary>
/// The seed's walk-through (Vault Key Management with Azure Key Vault) in EdgeKv's terms, end to end: host, emulator,
/// real clients over HTTPS. Then a leak scan over everything the flows left behind.
/// </summary>
[TestClass]
public sealed class KeyManagementWalkThroughTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Seed_walk_through_writes_distributes_restricts_and_rotates_keys_and_leaks_no_material()
    {
        await using KeyManagementHost keys = await KeyManagementHost.StartAsync();

        // Write keys: a pair of RSA-2048 keys.
        Assert.AreEqual(HttpStatusCode.Created,
            (await keys.SendAsync("PUT", "/api/keys/rsa-1", new { type = "rsa-2048" })).Status);
        Assert.AreEqual(HttpStatusCode.Created,
            (await keys.SendAsync("PUT", "/api/keys/rsa-2", new { type = "rsa-2048" })).Status);

        // Read keys: latestVersion is 1.
        (HttpStatusCode status, JsonElement rsa1) = await keys.SendAsync("GET", "/api/keys/rsa-1");
        Assert.AreEqual(HttpStatusCode.OK, status);
        Assert.AreEqual(1, rsa1.GetProperty("latestVersion").GetInt32());
        Assert.AreEqual("rsa-2048", rsa1.GetProperty("type").GetString());
        Assert.IsFalse(rsa1.GetProperty("deletionAllowed").GetBoolean());
        StringAssert.StartsWith(rsa1.GetProperty("versions")[0].GetProperty("publicKey").GetString(),
            "-----BEGIN PUBLIC KEY-----");
        Assert.AreEqual(1, (await keys.SendAsync("GET",
            "/api/keys/rsa-2")).Body.GetProperty("latestVersion").GetInt32());

        // Create the KMS provider for the vault.
        (status, JsonElement provider) = await keys.SendAsync("PUT", "/api/kms/keyvault",
            keys.ProviderBody(KeyManagementHost.PremiumVault));
        Assert.AreEqual(HttpStatusCode.Created, status, provider.ToString());
        Assert.IsTrue(provider.GetProperty("credentialsSet").GetBoolean());
        Assert.IsFalse(provider.ToString().Contains(keys.ProviderSecret, StringComparison.Ordinal));

        // Distribute: rsa-1 for encrypt and decrypt with HSM protection (BYOK), rsa-2 for signing.
        await keys.CompleteFlowAsync("PUT", "/api/kms/keyvault/keys/rsa-1",
            new { purpose = new[] { "encrypt", "decrypt" }, protection = "hsm" });
        await keys.CompleteFlowAsync("PUT", "/api/kms/keyvault/keys/rsa-2",
            new { purpose = "sign", protection = "hsm" });

        // Verify: list the provider's keys.
        (status, JsonElement listed) = await keys.SendAsync("GET", "/api/kms/keyvault/keys");
        Assert.AreEqual(HttpStatusCode.OK, status);
        CollectionAssert.AreEqual(new[] { "rsa-1", "rsa-2" },
            listed.GetProperty("value").EnumerateArray().Select(k => k.GetProperty("name").GetString()).ToArray());
        Assert.AreEqual(JsonValueKind.Null, listed.GetProperty("nextLink").ValueKind);

        // In the vault: rsa-1 allows only encrypt and decrypt, rsa-2 only sign; both are HSM keys holding EdgeKv's
        // public keys.
        KeysClient vault = await keys.VaultKeysAsync(KeyManagementHost.PremiumVault);
        KeyVaultKey azure1 = await vault.GetKeyAsync("rsa-1");
        KeyVaultKey azure2 = await vault.GetKeyAsync("rsa-2");
        Assert.AreEqual(KeyTypes.RsaHsm, azure1.KeyType);
        CollectionAssert.AreEquivalent(new[] { "encrypt", "decrypt" }, azure1.KeyOperations.ToArray());
        CollectionAssert.AreEquivalent(new[] { "sign" }, azure2.KeyOperations.ToArray());
        CollectionAssert.AreEqual(PublicModulus(rsa1, 1), azure1.Modulus);
        Assert.AreEqual("1", azure1.Properties.Tags[Activities.Keys.KmsVault.EdgeKvVersionTag]);

        byte[] plaintext = "seed walk-through"u8.ToArray();
        KeyOperationResult encrypted = await vault.GetCryptographyClient("rsa-1").EncryptAsync(KeyAlgorithms.RsaOaep256,
            plaintext);
        CollectionAssert.AreEqual(plaintext,
            (await vault.GetCryptographyClient("rsa-1").DecryptAsync(KeyAlgorithms.RsaOaep256, encrypted.Value)).Value);
        byte[] digest = SHA256.HashData(plaintext);
        KeyOperationResult signature = await vault.GetCryptographyClient("rsa-2").SignAsync(KeyAlgorithms.RS256,
            digest);
        using (RSA edgeKvPublic = PublicKey((await keys.SendAsync("GET", "/api/keys/rsa-2")).Body, 1))
        {
            Assert.IsTrue(edgeKvPublic.VerifyHash(digest, signature.Value, HashAlgorithmName.SHA256,
                RSASignaturePadding.Pkcs1), "the vault signs with EdgeKv's key");
        }

        // A use outside the purpose is refused by the vault itself.
        RequestFailedException wrap = await Assert.ThrowsExactlyAsync<RequestFailedException>(() => vault.GetCryptographyClient("rsa-1").WrapKeyAsync(KeyAlgorithms.RsaOaep256, new byte[32]));
        Assert.AreEqual(403, wrap.Status);
        RequestFailedException encrypt = await Assert.ThrowsExactlyAsync<RequestFailedException>(() => vault.GetCryptographyClient("rsa-2").EncryptAsync(KeyAlgorithms.RsaOaep256, plaintext));
        Assert.AreEqual(403, encrypt.Status);
        RequestFailedException sign = await Assert.ThrowsExactlyAsync<RequestFailedException>(() => vault.GetCryptographyClient("rsa-1").SignAsync(KeyAlgorithms.RS256, digest));
        Assert.AreEqual(403, sign.Status);

        // Rotate rsa-1: latestVersion 2; the vault's current version holds EdgeKv's version 2, the first is still
        // listed.
        string firstAzureVersion = azure1.Properties.Version!;
        await keys.CompleteFlowAsync("POST", "/api/keys/rsa-1/rotate");
        (_, rsa1) = await keys.SendAsync("GET", "/api/keys/rsa-1");
        Assert.AreEqual(2, rsa1.GetProperty("latestVersion").GetInt32());
        KeyVaultKey current = await vault.GetKeyAsync("rsa-1");
        Assert.AreNotEqual(firstAzureVersion, current.Properties.Version);
        CollectionAssert.AreEqual(PublicModulus(rsa1, 2), current.Modulus);
        CollectionAssert.AreEquivalent(new[] { "encrypt", "decrypt" }, current.KeyOperations.ToArray());
        IReadOnlyList<KeyProperties> versions = await vault.GetPropertiesOfKeyVersionsAsync("rsa-1");
        Assert.AreEqual(2, versions.Count);
        Assert.IsTrue(versions.Any(v => v.Version == firstAzureVersion),
            "the first version is still listed (OLDER VERSIONS)");
        (_, JsonElement distributed) = await keys.SendAsync("GET", "/api/kms/keyvault/keys/rsa-1");
        Assert.AreEqual("Distributed", distributed.GetProperty("state").GetString());
        CollectionAssert.AreEqual(new[] { 1, 2 },
            distributed.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("version").GetInt32()).ToArray());
        Assert.AreEqual(current.Properties.Version,
            distributed.GetProperty("versions")[1].GetProperty("azureVersion").GetString());

        // An AES key is kept in EdgeKv only.
        Assert.AreEqual(HttpStatusCode.Created,
            (await keys.SendAsync("PUT", "/api/keys/aes-1", new { type = "aes256-gcm96" })).Status);
        KeyManagementHost.AssertRefused(await keys.SendAsync("PUT", "/api/kms/keyvault/keys/aes-1",
            new { purpose = new[] { "encrypt" }, protection = "hsm" }),
            HttpStatusCode.BadRequest, "KeyTypeNotDistributable");

        await AssertNoMaterialLeakedAsync(keys, ["rsa-1", "rsa-2"], "aes-1");
    }

    private async Task AssertNoMaterialLeakedAsync(KeyManagementHost keys, string[] rsaKeys, string aesKey)
    {
        KeyStore store = keys.Host.Services.GetRequiredService<KeyStore>();
        var secrets = new Dictionary<string, string> { ["provider client secret"] = keys.ProviderSecret };
        foreach (string name in rsaKeys)
        {
            KeyRecord key = (await store.GetKeyAsync(name))!;
            for (int version = 1; version <= key.LatestVersion; version++)
            {
                byte[] material = (await store.ReadMaterialAsync(name, version))!;
                using RSA rsa = KeyMaterial.OpenRsa(material);
                RSAParameters p = rsa.ExportParameters(includePrivateParameters: true);
                secrets[$"{name} v{version} private exponent"] = Convert.ToBase64String(p.D!);
                secrets[$"{name} v{version} prime p"] = Convert.ToBase64String(p.P!);
                secrets[$"{name} v{version} PKCS#8"] = Convert.ToBase64String(material);
            }
        }

        secrets[$"{aesKey} material"] = Convert.ToBase64String((await store.ReadMaterialAsync(aesKey, 1))!);
        var needles = SecretScan.Needles(secrets);
        Assert.IsTrue(needles.Count > 40);
        SecretScan.AssertAbsentInText("the responses", keys.Responses, needles);
        SecretScan.AssertAbsentInText("the flows' status, input, output and history", keys.Statuses, needles);
        SecretScan.AssertAbsentInText("the host's log output", keys.Host.Logs.Lines, needles);
        int files = SecretScan.AssertAbsentInFolder(keys.Host.DataPath, needles,
            skip: f => f.Contains($"{Path.DirectorySeparatorChar}emulator{Path.DirectorySeparatorChar}",
                StringComparison.Ordinal));
        TestContext.WriteLine($"Leak scan: {needles.Count} needles over {keys.Responses.Count} responses, {keys.Statuses.Count} flow statuses, {keys.Host.Logs.Lines.Count} log lines, {files} files.");
        Assert.IsTrue(files >= 3 && keys.Statuses.Count >= 3 && keys.Host.Logs.Lines.Count > 50);
    }

    internal static RSA PublicKey(JsonElement key, int version)
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(key.GetProperty("versions").EnumerateArray().Single(v => v.GetProperty("version").GetInt32() == version).GetProperty("publicKey").GetString());
        return rsa;
    }

    internal static byte[] PublicModulus(JsonElement key, int version)
    {
        using RSA rsa = PublicKey(key, version);
        return rsa.ExportParameters(false).Modulus!;
    }
}
