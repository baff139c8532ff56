using EdgeKv.Azure.Vaults;

namespace EdgeKv.Azure.Tests;

[TestClass]
public sealed class PersistenceTests
{
    [TestMethod]
    public async Task Restart_OnSameDataFolder_KeepsResourcesCertificateAndClock()
    {
        var first = await TestEmulator.StartAsync();
        var folder = first.DataFolder;
        var thumbprint = first.CertificateThumbprint;
        try
        {
            var factory = TestEmulator.Factory(first);
            await factory.GetResourceGroupsClient().CreateOrUpdateAsync("rg-persist", "westus2");
            await factory.GetVaultsClient().CreateOrUpdateAsync("rg-persist", "kv-persist",
                new VaultDefinition("westus2", first.TenantId, []));
            await factory.GetVaultsClient().CreateOrUpdateAsync("rg-persist", "kv-persist-del",
                new VaultDefinition("westus2", first.TenantId, []));
            await factory.GetVaultsClient().DeleteAsync("rg-persist", "kv-persist-del");
            await first.Admin.AdvanceClockAsync(TimeSpan.FromDays(2));
        }
        finally
        {
            await first.DisposeAsync();
        }

        var second = await TestEmulator.StartAsync(dataFolder: folder);
        try
        {
            Assert.AreEqual(thumbprint, second.CertificateThumbprint);
            var vaults = TestEmulator.Factory(second).GetVaultsClient();
            Assert.AreEqual("kv-persist", (await vaults.GetAsync("rg-persist", "kv-persist")).Name);
            Assert.AreEqual("kv-persist-del", (await vaults.GetDeletedAsync("westus2", "kv-persist-del")).Name);
            Assert.IsTrue(await second.Admin.GetNowAsync() > DateTimeOffset.UtcNow.AddDays(1));
        }
        finally
        {
            await TestEmulator.StopAsync(second);
        }
    }
}
