using Azure;
using Azure.ResourceManager.Resources;
using EdgeKv.Azure.Vaults;
using EdgeKv.Emulator;
using EdgeKv.Emulator.Admin;

namespace EdgeKv.Azure.Tests;

[TestClass]
public sealed class SubscriptionsAndRetriesTests
{
    [TestMethod]
    public async Task Subscriptions_CreatedByAdmin_ListedForOwnerNotForNoRoles_AndDeleted()
    {
        var subscriptionId = Guid.NewGuid().ToString();
        await TestEmulator.Shared.Admin.CreateSubscriptionAsync(subscriptionId, "second");
        var owner = TestEmulator.Factory(TestEmulator.Shared).ArmClient;
        var noRoles = TestEmulator.Factory(TestEmulator.Shared, EmulatorPrincipals.NoRoles).ArmClient;

        var names = new List<string>();
        await foreach (var subscription in owner.GetSubscriptions().GetAllAsync())
        {
            names.Add(subscription.Data.SubscriptionId);
        }

        CollectionAssert.Contains(names, subscriptionId);
        CollectionAssert.Contains(names, TestEmulator.Shared.SubscriptionId);
        var fetched = await owner.GetSubscriptionResource(SubscriptionResource.CreateResourceIdentifier(subscriptionId)).GetAsync();
        Assert.AreEqual("second", fetched.Value.Data.DisplayName);
        await foreach (var subscription in noRoles.GetSubscriptions().GetAllAsync())
        {
            Assert.AreNotEqual(subscriptionId, subscription.Data.SubscriptionId,
                "no-roles holds no role on the new subscription");
        }

        await TestEmulator.Shared.Admin.DeleteSubscriptionAsync(subscriptionId);
        var missing = await Assert.ThrowsExactlyAsync<RequestFailedException>(
            () => owner.GetSubscriptionResource(SubscriptionResource.CreateResourceIdentifier(subscriptionId)).GetAsync());
        Assert.AreEqual("SubscriptionNotFound", missing.ErrorCode);
    }

    [TestMethod]
    public async Task Throttled_Once_SdkRetriesAndSucceeds_TwiceWithOneRetry_Fails429()
    {
        var factory = TestEmulator.Factory(TestEmulator.Shared);
        var group = TestEmulator.UniqueName("rg-retry-");
        await factory.GetResourceGroupsClient().CreateOrUpdateAsync(group, "westus2");
        var vaults = factory.GetVaultsClient();
        var name = TestEmulator.UniqueName("kv-retry-");
        await vaults.CreateOrUpdateAsync(group, name, new VaultDefinition("westus2", TestEmulator.Shared.TenantId, []));

        await TestEmulator.Shared.Admin.AddFaultAsync(new FaultRule($"/vaults/{name}$", FaultKind.Throttle,
            Method: "GET", Count: 1));
        Assert.AreEqual(name, (await vaults.GetAsync(group, name)).Name);

        await TestEmulator.Shared.Admin.AddFaultAsync(new FaultRule($"/vaults/{name}$", FaultKind.Unavailable,
            Method: "GET", Count: 2));
        var error = await Assert.ThrowsExactlyAsync<RequestFailedException>(() => vaults.GetAsync(group, name));
        Assert.AreEqual(503, error.Status);

        var requests = await TestEmulator.Shared.Admin.GetRequestsAsync(method: "GET", pathContains: $"/vaults/{name}");
        CollectionAssert.AreEqual(new[] { 429, 200, 503, 503 }, requests.Select(r => r.Status).ToArray());
    }
}
