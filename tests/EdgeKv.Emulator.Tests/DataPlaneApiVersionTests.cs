using EdgeKv.Emulator.Arm;
using EdgeKv.Emulator.KeyVault;

namespace EdgeKv.Emulator.Tests;

/// <summary>
/// Every api-version the Azure REST API specifications publish is served, previews included (clients of other languages
/// send previews by default), and an unpublished one is refused with Azure's error: the Key Vault data plane, and the
/// storage management API the typed Azure.ResourceManager.Storage client uses.
/// </summary>
[TestClass]
public sealed class DataPlaneApiVersionTests
{
    private const string Rg = "rg-dp-versions";
    private const string VaultName = "kv-dp-versions";
    private const string Account = "stdpversions";
    private const string Begin = "<!-- keyvault-api-versions:begin -->";
    private const string End = "<!-- keyvault-api-versions:end -->";
    private static ArmHttp arm = null!;
    private static string armToken = null!;
    private static string vaultToken = null!;
    private static string accountId = null!;

    [ClassInitialize]
    public static async Task InitializeAsync(TestContext context)
    {
        arm = new ArmHttp(TestEmulator.Shared);
        armToken = await arm.GetTokenAsync();
        vaultToken = await arm.GetTokenAsync(scope: "https://vault.azure.net/.default");
        Assert.AreEqual(201, (await arm.PutAsync($"{arm.SubscriptionPath}/resourceGroups/{Rg}?api-version=2025-04-01", armToken, """{"location":"westus2"}""")).Status);
        await arm.CreateVaultForServiceAsync(armToken, Rg, VaultName, """{"secrets":["all"],"keys":["all"]}""");
        Assert.AreEqual(200, (await arm.PutAsync($"/vaults/{VaultName}/secrets/s1?api-version=7.6", vaultToken, """{"value":"v"}""")).Status);
        Assert.AreEqual(200, (await arm.SendAsync(HttpMethod.Post, $"/vaults/{VaultName}/keys/k1/create?api-version=7.6", vaultToken, """{"kty":"RSA"}""")).Status);
        accountId = $"{arm.SubscriptionPath}/resourceGroups/{Rg}/providers/Microsoft.Storage/storageAccounts/{Account}";
        var account = await arm.PutAsync($"{accountId}?api-version=2025-08-01", armToken, """{"location":"westus2","kind":"StorageV2","sku":{"name":"Standard_LRS"}}""");
        Assert.AreEqual(202, account.Status, account.Text);
    }

    [ClassCleanup]
    public static void Cleanup() => arm.Dispose();

    [TestMethod]
    public async Task KeyVault_EveryPublishedVersion_ServesSecretsAndKeys()
    {
        foreach (var version in KeyVaultApiVersions.Supported)
        {
            var secret = await arm.GetAsync($"/vaults/{VaultName}/secrets/s1?api-version={version}", vaultToken);
            var key = await arm.GetAsync($"/vaults/{VaultName}/keys/k1?api-version={version}", vaultToken);

            Assert.AreEqual(200, secret.Status, $"{version}: {secret.Text}");
            Assert.AreEqual(200, key.Status, $"{version}: {key.Text}");
        }
    }

    [TestMethod]
    [DataRow("7.7")]
    [DataRow("7.6-preview.3")]
    [DataRow("2026-02-01")]
    [DataRow("latest")]
    public async Task KeyVault_UnpublishedVersion_Answers400BadParameter(string version)
    {
        var reply = await arm.GetAsync($"/vaults/{VaultName}/secrets/s1?api-version={version}", vaultToken);

        Assert.AreEqual((400, "BadParameter"), (reply.Status, reply.ErrorCode), reply.Text);
        StringAssert.Contains(reply.ErrorMessage, $"The specified version ({version}) is not recognized.");
    }

    [TestMethod]
    public void KeyVault_ReadmeList_MatchesTheServedVersions()
    {
        var readme = File.ReadAllText(Path.Combine(ApiVersionTableTests.RepositoryRoot(), "platform", "emulator",
            "README.md"));
        var start = readme.IndexOf(Begin, StringComparison.Ordinal);
        var end = readme.IndexOf(End, StringComparison.Ordinal);
        Assert.IsTrue(start >= 0 && end > start, "platform/emulator/README.md lacks the Key Vault api-version markers");

        var expected = string.Join(", ", KeyVaultApiVersions.Supported);
        Assert.AreEqual(expected, readme[(start + Begin.Length)..end].Trim(),
            $"Paste this list between the markers in platform/emulator/README.md:\n{expected}");
    }

    [TestMethod]
    public async Task Storage_EveryListedVersion_ServesTheAccountAndItsBlobService_AndAnUnpublishedOneIsRefused()
    {
        foreach (var version in ProviderCatalog.VersionsOf("Microsoft.Storage/storageAccounts"))
        {
            var account = await arm.GetAsync($"{accountId}?api-version={version}", armToken);
            Assert.AreEqual(200, account.Status, $"{version}: {account.Text}");
        }

        foreach (var version in ProviderCatalog.VersionsOf("Microsoft.Storage/storageAccounts/blobServices"))
        {
            var blobService = await arm.GetAsync($"{accountId}/blobServices/default?api-version={version}", armToken);
            Assert.AreEqual(200, blobService.Status, $"{version}: {blobService.Text}");
        }

        var refused = await arm.GetAsync($"{accountId}?api-version=2025-02-01", armToken);
        var beforeBlobServices = await arm.GetAsync($"{accountId}/blobServices/default?api-version=2018-02-01",
            armToken);
        Assert.AreEqual((400, "NoRegisteredProviderFound"), (refused.Status, refused.ErrorCode), refused.Text);
        Assert.AreEqual((400, "NoRegisteredProviderFound"), (beforeBlobServices.Status, beforeBlobServices.ErrorCode),
            beforeBlobServices.Text);
    }
}
