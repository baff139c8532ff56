using Azure.Identity;

namespace EdgeKv.Azure.Tests;

[TestClass]
public sealed class ClientFactoryTests
{
    [TestMethod]
    public void EmulatorMode_WithoutEndpointOrThumbprint_IsRejected()
    {
        Assert.ThrowsExactly<ArgumentException>(() => new EdgeKvAzureClientFactory(new EdgeKvAzureOptions
        {
            Mode = AzureMode.Emulator,
            SubscriptionId = "s",
            ClientId = "c",
            ClientSecret = "x",
        }));
    }

    [TestMethod]
    public void AzureMode_UsesPublicEndpointAndDefaultAzureCredential()
    {
        var factory = new EdgeKvAzureClientFactory(new EdgeKvAzureOptions { Mode = AzureMode.Azure,
            SubscriptionId = Guid.NewGuid().ToString() });

        Assert.AreEqual(new Uri("https://management.azure.com/"), factory.ManagementEndpoint);
        Assert.IsInstanceOfType<DefaultAzureCredential>(factory.Credential);
    }

    [TestMethod]
    public void EmulatorMode_UsesEmulatorEndpointAndClientSecretCredential()
    {
        var factory = TestEmulator.Factory(TestEmulator.Shared);

        Assert.AreEqual(TestEmulator.Shared.Endpoint, factory.ManagementEndpoint);
        Assert.IsInstanceOfType<ClientSecretCredential>(factory.Credential);
    }

    [TestMethod]
    public async Task PinnedApiVersions_GenericResourceNeverLooksUpTheProvider()
    {
        var factory = TestEmulator.Factory(TestEmulator.Shared);
        var group = TestEmulator.UniqueName("rg-pinned-");
        await factory.GetResourceGroupsClient().CreateOrUpdateAsync(group, "westus2");
        var name = TestEmulator.UniqueName("kv-pinned-");

        await factory.GetVaultsClient().CreateOrUpdateAsync(group, name,
            new Vaults.VaultDefinition("westus2", TestEmulator.Shared.TenantId, []));
        await factory.GetVaultsClient().GetAsync(group, name);

        var lookups = await TestEmulator.Shared.Admin.GetRequestsAsync(method: "GET",
            pathContains: "/providers/Microsoft.KeyVault");
        Assert.IsFalse(lookups.Any(r => r.Path.EndsWith("/providers/Microsoft.KeyVault",
            StringComparison.OrdinalIgnoreCase)));
        var vaultCalls = await TestEmulator.Shared.Admin.GetRequestsAsync(pathContains: $"/vaults/{name}");
        Assert.IsTrue(vaultCalls.All(r => r.Query.Contains($"api-version={AzureApiVersions.KeyVault}",
            StringComparison.Ordinal)));
    }
}
