using Azure;
using Azure.ResourceManager.Resources;
using Azure.ResourceManager.Storage;
using Azure.ResourceManager.Storage.Models;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.ResourceManager.Resources.Models;
using EdgeKv.Azure.Storage;

namespace EdgeKv.Azure.Tests;

[TestClass]
public sealed class StorageAccountsClientTests
{
    private static EdgeKvAzureClientFactory factory = null!;
    private static StorageAccountsClient storage = null!;
    private static string resourceGroup = null!;

    [ClassInitialize]
    public static async Task InitializeAsync(TestContext context)
    {
        factory = TestEmulator.Factory(TestEmulator.Shared);
        storage = factory.GetStorageAccountsClient();
        resourceGroup = TestEmulator.UniqueName("rg-storage-");
        await factory.GetResourceGroupsClient().CreateOrUpdateAsync(resourceGroup, "westus2");
    }

    private static string NewName() => TestEmulator.UniqueName("st").Replace("-", "", StringComparison.Ordinal);

    [TestMethod]
    public async Task Create_LongRunningOperation_CompletesWithZrsStorageV2()
    {
        var name = NewName();
        var creation = await storage.StartCreateAsync(resourceGroup, name, "westus2",
            tags: new Dictionary<string, string> { ["vault"] = "kv1" });

        var account = await creation.WaitForCompletionAsync();

        Assert.AreEqual(name, account.Name);
        Assert.AreEqual("Standard_ZRS", account.SkuName);
        Assert.AreEqual("StorageV2", account.Kind);
        Assert.AreEqual("Succeeded", account.ProvisioningState);
        Assert.AreEqual("kv1", account.Tags["vault"]);
        var requests = await TestEmulator.Shared.Admin.GetRequestsAsync(method: "PUT",
            pathContains: $"/storageAccounts/{name}");
        Assert.AreEqual(202, requests.Single().Status);
    }

    [TestMethod]
    public async Task GetListTagsDelete()
    {
        var name = NewName();
        await storage.CreateAsync(resourceGroup, name, "westus2");

        Assert.AreEqual(name, (await storage.GetAsync(resourceGroup, name)).Name);
        Assert.IsTrue((await storage.ListAsync(resourceGroup)).Any(a => a.Name == name));
        Assert.IsTrue((await storage.ListAsync()).Any(a => a.Name == name));
        var tagged = await storage.SetTagsAsync(resourceGroup, name,
            new Dictionary<string, string> { ["vault"] = "kv2" });
        Assert.AreEqual("kv2", tagged.Tags["vault"]);

        await storage.DeleteAsync(resourceGroup, name);

        var missing = await Assert.ThrowsExactlyAsync<RequestFailedException>(() => storage.GetAsync(resourceGroup,
            name));
        Assert.AreEqual(404, missing.Status);
    }

    [TestMethod]
    public async Task CheckNameAvailability_InvalidTakenFree()
    {
        var name = NewName();
        await storage.CreateAsync(resourceGroup, name, "westus2");

        var invalid = await storage.CheckNameAvailabilityAsync("Not-Valid");
        var taken = await storage.CheckNameAvailabilityAsync(name);
        var free = await storage.CheckNameAvailabilityAsync(NewName());

        Assert.AreEqual("AccountNameInvalid", invalid.Reason);
        Assert.AreEqual("AlreadyExists", taken.Reason);
        Assert.IsTrue(free.NameAvailable);
    }

    [TestMethod]
    public async Task Create_InvalidName_Fails400AccountNameInvalid()
    {
        var error = await Assert.ThrowsExactlyAsync<RequestFailedException>(() => storage.CreateAsync(resourceGroup,
            "UPPER-case", "westus2"));

        Assert.AreEqual(400, error.Status);
        Assert.AreEqual("AccountNameInvalid", error.ErrorCode);
    }

    [TestMethod]
    public async Task Create_NameTakenElsewhere_Fails409()
    {
        var name = NewName();
        await storage.CreateAsync(resourceGroup, name, "westus2");
        var other = TestEmulator.UniqueName("rg-st2-");
        await factory.GetResourceGroupsClient().CreateOrUpdateAsync(other, "westus2");

        var error = await Assert.ThrowsExactlyAsync<RequestFailedException>(() => storage.CreateAsync(other, name,
            "westus2"));

        Assert.AreEqual(409, error.Status);
        Assert.AreEqual("StorageAccountAlreadyTaken", error.ErrorCode);
    }

    [TestMethod]
    public async Task TypedClient_SendsItsOwnApiVersion_AndNeverListsKeys()
    {
        var name = NewName();
        await storage.CreateAsync(resourceGroup, name, "westus2");
        await storage.GetAsync(resourceGroup, name);

        var requests = await TestEmulator.Shared.Admin.GetRequestsAsync(pathContains: $"/storageAccounts/{name}");

        Assert.IsTrue(requests.Where(r => r.Path.EndsWith($"/storageAccounts/{name}", StringComparison.Ordinal))
            .All(r => r.Query.Contains("api-version=2025-08-01", StringComparison.Ordinal)),
                "Azure.ResourceManager.Storage 1.7.0's version, not pinned");
        Assert.IsFalse(requests.Any(r => r.Path.Contains("listKeys", StringComparison.OrdinalIgnoreCase)));
    }

    [TestMethod]
    public async Task BlobDeleteRetention_OffByDefault_SetThenOff()
    {
        var name = NewName();
        await storage.CreateAsync(resourceGroup, name, "westus2");

        Assert.AreEqual(new BlobDeleteRetention(null, null),
            await storage.GetBlobDeleteRetentionAsync(resourceGroup, name));
        Assert.AreEqual(new BlobDeleteRetention(30, 30),
            await storage.SetBlobDeleteRetentionAsync(resourceGroup, name, 30));
        Assert.AreEqual(new BlobDeleteRetention(30, 30),
            await storage.GetBlobDeleteRetentionAsync(resourceGroup, name));
        Assert.AreEqual(new BlobDeleteRetention(null, null),
            await storage.SetBlobDeleteRetentionAsync(resourceGroup, name, null));
    }

    [TestMethod]
    public async Task BlobDeleteRetention_OutOfRange_Fails400()
    {
        var name = NewName();
        await storage.CreateAsync(resourceGroup, name, "westus2");

        var error = await Assert.ThrowsExactlyAsync<RequestFailedException>(() => storage.SetBlobDeleteRetentionAsync(resourceGroup, name, 366));

        Assert.AreEqual(400, error.Status);
    }

    [TestMethod]
    public async Task Lock_OnTypedAccount_RefusesDelete()
    {
        var name = NewName();
        await storage.CreateAsync(resourceGroup, name, "westus2");
        var locks = storage.GetResource(resourceGroup, name).GetManagementLocks();
        await locks.CreateOrUpdateAsync(WaitUntil.Completed, "nodelete",
            new ManagementLockData(ManagementLockLevel.CanNotDelete));

        var error = await Assert.ThrowsExactlyAsync<RequestFailedException>(() => storage.DeleteAsync(resourceGroup,
            name));
        Assert.AreEqual(409, error.Status);
        Assert.AreEqual("ScopeLocked", error.ErrorCode);

        await (await locks.GetAsync("nodelete")).Value.DeleteAsync(WaitUntil.Completed);
        await storage.DeleteAsync(resourceGroup, name);
    }

    [TestMethod]
    public async Task Create_IsHardenedByDefault_NoSharedKeyNoPublicAccessTls12()
    {
        var name = NewName();

        var account = await storage.CreateAsync(resourceGroup, name, "westus2");

        Assert.IsFalse(account.AllowSharedKeyAccess);
        Assert.IsFalse(account.AllowBlobPublicAccess);
        Assert.AreEqual("TLS1_2", account.MinimumTlsVersion);
        var open = await storage.CreateAsync(resourceGroup, NewName(), "westus2",
            security: new StorageAccountSecurity(true, false, "TLS1_2"));
        Assert.IsTrue(open.AllowSharedKeyAccess);
    }

    [TestMethod]
    public async Task SharedKeyDisabled_ListKeysWorks_BlobRequestsSignedWithAKeyGet403()
    {
        var name = NewName();
        await storage.CreateAsync(resourceGroup, name, "westus2");

        var keys = new List<StorageAccountKey>();
        await foreach (var key in storage.GetResource(resourceGroup, name).GetKeysAsync())
        {
            keys.Add(key);
        }

        Assert.AreEqual(2, keys.Count, "listKeys works whatever allowSharedKeyAccess says, as in Azure");
        var containerUri = new Uri($"{TestEmulator.Shared.Endpoint.AbsoluteUri}storage/{name}/blob/insights-logs-auditevent");
        var container = new BlobContainerClient(containerUri, new StorageSharedKeyCredential(name, keys[0].Value),
            new BlobClientOptions { Transport = factory.DataPlaneTransport, Retry = { MaxRetries = 0 } });

        var error = await Assert.ThrowsExactlyAsync<RequestFailedException>(async () =>
        {
            await foreach (var _ in container.GetBlobsAsync())
            {
            }
        });

        Assert.AreEqual(403, error.Status);
        Assert.AreEqual("KeyBasedAuthenticationNotPermitted", error.ErrorCode);
    }

    [TestMethod]
    public async Task ContainerImmutability_CreatesTheContainerAndAnUnlockedPolicyWithProtectedAppends()
    {
        var name = NewName();
        await storage.CreateAsync(resourceGroup, name, "westus2");

        Assert.IsNull(await storage.GetContainerImmutabilityAsync(resourceGroup, name, "insights-logs-auditevent"));
        var set = await storage.SetContainerImmutabilityAsync(resourceGroup, name, "insights-logs-auditevent", 365);
        Assert.AreEqual(new ContainerImmutability(365, "Unlocked", true), set);
        Assert.AreEqual(set, await storage.GetContainerImmutabilityAsync(resourceGroup, name,
            "insights-logs-auditevent"));
        Assert.AreEqual(new ContainerImmutability(400, "Unlocked", true),
            await storage.SetContainerImmutabilityAsync(resourceGroup, name, "insights-logs-auditevent", 400),
            "idempotent, and the setting may change");
        var container = (await storage.GetResource(resourceGroup,
            name).GetBlobService().GetBlobContainerAsync("insights-logs-auditevent")).Value;
        Assert.IsTrue(container.Data.HasImmutabilityPolicy);

        var error = await Assert.ThrowsExactlyAsync<RequestFailedException>(() =>
            storage.SetContainerImmutabilityAsync(resourceGroup, name, "insights-logs-auditevent", 0));
        Assert.AreEqual(400, error.Status);
    }

    [TestMethod]
    public async Task SetSecurity_HardensAnAccountCreatedOpen()
    {
        var name = NewName();
        await storage.CreateAsync(resourceGroup, name, "westus2",
            security: new StorageAccountSecurity(true, true, "TLS1_2"));

        var hardened = await storage.SetSecurityAsync(resourceGroup, name, StorageAccountSecurity.Hardened);

        Assert.IsFalse(hardened.AllowSharedKeyAccess);
        Assert.IsFalse(hardened.AllowBlobPublicAccess);
        Assert.IsFalse((await storage.GetAsync(resourceGroup, name)).AllowSharedKeyAccess);
    }
}
