using Azure;

namespace EdgeKv.Azure.Tests.KeyVault;

[TestClass]
public sealed class RetentionTests
{
    [TestMethod]
    public async Task DeletedSecretAndKey_ArePurgedAfterTheVaultsRetention_OnTheEmulatorClock()
    {
        var emulator = await TestEmulator.StartAsync();
        try
        {
            var vault = await DataPlaneVaults.CreateAsync(emulator, "rg-retention", "kv-retention",
                purgeProtection: true);
            var factory = TestEmulator.Factory(emulator);
            var secrets = factory.CreateSecretClient(vault.VaultUri!);
            var keys = factory.CreateKeysClient(vault.VaultUri!);
            await secrets.SetSecretAsync("s", "v");
            await keys.CreateRsaKeyAsync("k");
            var deleted = await secrets.StartDeleteSecretAsync("s");
            await deleted.WaitForCompletionAsync();
            await keys.DeleteKeyAsync("k");
            Assert.AreEqual(deleted.Value.DeletedOn!.Value.AddDays(90), deleted.Value.ScheduledPurgeDate);

            await emulator.Admin.AdvanceClockAsync(TimeSpan.FromDays(89));
            Assert.AreEqual("s", (await secrets.GetDeletedSecretAsync("s")).Value.Name);

            await emulator.Admin.AdvanceClockAsync(TimeSpan.FromDays(2));
            Assert.AreEqual(404, (await Assert.ThrowsExactlyAsync<RequestFailedException>(() => secrets.GetDeletedSecretAsync("s"))).Status);
            Assert.AreEqual(404, (await Assert.ThrowsExactlyAsync<RequestFailedException>(() => keys.GetDeletedKeyAsync("k"))).Status);
            Assert.AreEqual("again", (await secrets.SetSecretAsync("s", "again")).Value.Value);
        }
        finally
        {
            await TestEmulator.StopAsync(emulator);
        }
    }
}
