using Azure;
using EdgeKv.Azure.Vaults;
using EdgeKv.Emulator;

namespace EdgeKv.Azure.Tests;

[TestClass]
public sealed class ProviderRegistrationTests
{
    private static RunningEmulator emulator = null!;

    [ClassInitialize]
    public static async Task InitializeAsync(TestContext context) =>
        emulator = await TestEmulator.StartAsync(options => options.RegisteredProviders = ["Microsoft.Storage"]);

    [ClassCleanup]
    public static async Task CleanupAsync() => await TestEmulator.StopAsync(emulator);

    [TestMethod]
    public async Task KeyVaultNotRegistered_CreateRefused_ThenRegisterAllowsIt()
    {
        var factory = TestEmulator.Factory(emulator);
        var providers = factory.GetResourceProvidersClient();
        await factory.GetResourceGroupsClient().CreateOrUpdateAsync("rg-providers", "westus2");
        Assert.IsFalse((await providers.GetAsync("Microsoft.KeyVault")).IsRegistered);
        Assert.IsTrue((await providers.GetAsync("Microsoft.Storage")).IsRegistered);
        var definition = new VaultDefinition("westus2", emulator.TenantId, []);

        var refused = await Assert.ThrowsExactlyAsync<RequestFailedException>(() => factory.GetVaultsClient().CreateOrUpdateAsync("rg-providers", "kv-unregistered", definition));
        Assert.AreEqual(409, refused.Status);
        Assert.AreEqual("MissingSubscriptionRegistration", refused.ErrorCode);

        var registered = await providers.RegisterAsync("Microsoft.KeyVault");
        Assert.IsTrue(registered.IsRegistered);
        await factory.GetVaultsClient().CreateOrUpdateAsync("rg-providers", "kv-unregistered", definition);
    }

    [TestMethod]
    public async Task Reader_CannotRegister()
    {
        var reader = TestEmulator.Factory(emulator, EmulatorPrincipals.Reader).GetResourceProvidersClient();

        var error = await Assert.ThrowsExactlyAsync<RequestFailedException>(() => reader.RegisterAsync("Microsoft.DataBoxEdge"));

        Assert.AreEqual("AuthorizationFailed", error.ErrorCode);
    }
}
