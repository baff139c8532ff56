using Azure;
using EdgeKv.Azure.Vaults;
using EdgeKv.Emulator;

namespace EdgeKv.Azure.Tests;

/// <summary>Tests that move the emulator clock run on a private emulator, so the shared one keeps its time.</summary>
[TestClass]
public sealed class ClockShiftTests
{
    private static RunningEmulator emulator = null!;
    private static EdgeKvAzureClientFactory factory = null!;
    private static string resourceGroup = null!;

    [ClassInitialize]
    public static async Task InitializeAsync(TestContext context)
    {
        emulator = await TestEmulator.StartAsync(options => options.LongRunningOperationDuration = TimeSpan.FromMinutes(3));
        factory = TestEmulator.Factory(emulator);
        resourceGroup = "rg-clock";
        await factory.GetResourceGroupsClient().CreateOrUpdateAsync(resourceGroup, "westus2");
    }

    [ClassCleanup]
    public static async Task CleanupAsync() => await TestEmulator.StopAsync(emulator);

    [TestMethod]
    public async Task Purge_UnderPurgeProtection_RefusedUntilRetentionEnds_ThenAllowed()
    {
        var vaults = factory.GetVaultsClient();
        var name = "kv-retention";
        await vaults.CreateOrUpdateAsync(resourceGroup, name,
            new VaultDefinition("westus2", emulator.TenantId, [], SoftDeleteRetentionInDays: 7,
                EnablePurgeProtection: true));
        await vaults.DeleteAsync(resourceGroup, name);
        var deleted = await vaults.GetDeletedAsync("westus2", name);

        await emulator.Admin.AdvanceClockAsync(TimeSpan.FromDays(6));
        var refused = await Assert.ThrowsExactlyAsync<RequestFailedException>(() => vaults.PurgeDeletedAsync("westus2",
            name));
        Assert.AreEqual("MethodNotAllowed", refused.ErrorCode);

        var now = await emulator.Admin.AdvanceClockAsync(TimeSpan.FromDays(1) + TimeSpan.FromHours(1));
        Assert.IsTrue(now > deleted.ScheduledPurgeDate);
        await vaults.PurgeDeletedAsync("westus2", name);

        Assert.IsTrue((await vaults.CheckNameAvailabilityAsync(name)).NameAvailable);
        Assert.IsFalse((await vaults.ListDeletedAsync()).Any(v => v.Name == name));
    }

    [TestMethod]
    public async Task StorageCreate_StaysInProgressUntilTheClockPassesItsDuration()
    {
        var storage = factory.GetStorageAccountsClient();
        var creation = await storage.StartCreateAsync(resourceGroup, "stclockslow", "westus2");

        await creation.UpdateStatusAsync();
        Assert.IsFalse(creation.HasCompleted);
        Assert.AreEqual("Creating", (await storage.GetAsync(resourceGroup, "stclockslow")).ProvisioningState);

        await emulator.Admin.AdvanceClockAsync(TimeSpan.FromMinutes(3));
        await creation.UpdateStatusAsync();

        Assert.IsTrue(creation.HasCompleted);
        Assert.AreEqual("Succeeded", (await creation.WaitForCompletionAsync()).ProvisioningState);
    }
}
