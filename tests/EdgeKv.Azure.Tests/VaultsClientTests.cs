using Azure;
using EdgeKv.Azure.Authorization;
using EdgeKv.Azure.Resources;
using EdgeKv.Azure.Vaults;
using EdgeKv.Emulator;

namespace EdgeKv.Azure.Tests;

[TestClass]
public sealed class VaultsClientTests
{
    private static EdgeKvAzureClientFactory factory = null!;
    private static VaultsClient vaults = null!;
    private static string resourceGroup = null!;

    [ClassInitialize]
    public static async Task InitializeAsync(TestContext context)
    {
        factory = TestEmulator.Factory(TestEmulator.Shared);
        vaults = factory.GetVaultsClient();
        resourceGroup = TestEmulator.UniqueName("rg-vaults-");
        await factory.GetResourceGroupsClient().CreateOrUpdateAsync(resourceGroup, "westus2");
    }

    private static VaultDefinition Definition(bool purgeProtection = false, int retention = 90) => new(
        "westus2", TestEmulator.Shared.TenantId,
        [new VaultAccessPolicy(TestEmulator.Shared.TenantId,
            TestEmulator.Shared.GetPrincipal(EmulatorPrincipals.EdgeKvService).ObjectId.ToString(), ["get", "set"])],
        SoftDeleteRetentionInDays: retention, EnablePurgeProtection: purgeProtection,
        Tags: new Dictionary<string, string> { ["owner"] = "edgekv" });

    [TestMethod]
    public async Task CreateOrUpdate_NewVault_ReturnsPropertiesWithVaultUriAndDefaults()
    {
        var name = TestEmulator.UniqueName("kv-create-");
        var vault = await vaults.CreateOrUpdateAsync(resourceGroup, name, Definition(purgeProtection: true));

        Assert.AreEqual(name, vault.Name);
        Assert.AreEqual(resourceGroup, vault.ResourceGroup);
        Assert.AreEqual("standard", vault.SkuName);
        Assert.IsTrue(vault.EnableSoftDelete);
        Assert.AreEqual(90, vault.SoftDeleteRetentionInDays);
        Assert.IsTrue(vault.EnablePurgeProtection);
        // The emulator serves each vault on a loopback port of its own (platform/emulator/README.md, "Vault
        // identifiers").
        Assert.AreEqual("127.0.0.1", vault.VaultUri!.Host);
        Assert.AreEqual("/", vault.VaultUri.AbsolutePath);
        Assert.AreNotEqual(TestEmulator.Shared.Endpoint.Port, vault.VaultUri.Port);
        Assert.AreEqual("Succeeded", vault.ProvisioningState);
        Assert.AreEqual("edgekv", vault.Tags["owner"]);
        CollectionAssert.AreEquivalent(new[] { "get", "set" }, vault.AccessPolicies.Single().Secrets.ToArray());

        var fetched = await vaults.GetAsync(resourceGroup, name);
        Assert.AreEqual(vault.Id, fetched.Id);
        Assert.IsTrue((await vaults.ListAsync(resourceGroup)).Any(v => v.Name == name));
        Assert.IsTrue((await vaults.ListAsync()).Any(v => v.Name == name));
    }

    [TestMethod]
    public async Task CreateOrUpdate_NameTakenInAnotherGroup_Fails409VaultAlreadyExists()
    {
        var name = TestEmulator.UniqueName("kv-taken-");
        await vaults.CreateOrUpdateAsync(resourceGroup, name, Definition());
        var otherGroup = TestEmulator.UniqueName("rg-other-");
        await factory.GetResourceGroupsClient().CreateOrUpdateAsync(otherGroup, "westus2");

        var error = await Assert.ThrowsExactlyAsync<RequestFailedException>(() => vaults.CreateOrUpdateAsync(otherGroup,
            name, Definition()));

        Assert.AreEqual(409, error.Status);
        Assert.AreEqual("VaultAlreadyExists", error.ErrorCode);
    }

    [TestMethod]
    [DataRow("ab")]
    [DataRow("1startswithdigit")]
    [DataRow("ends-with-hyphen-")]
    [DataRow("double--hyphen")]
    [DataRow("name_with_underscore")]
    [DataRow("averyveryverylongvaultname1")]
    public async Task CreateOrUpdate_InvalidName_Fails400VaultNameNotValid(string name)
    {
        var error = await Assert.ThrowsExactlyAsync<RequestFailedException>(() => vaults.CreateOrUpdateAsync(resourceGroup, name, Definition()));

        Assert.AreEqual(400, error.Status);
        Assert.AreEqual("VaultNameNotValid", error.ErrorCode);
    }

    [TestMethod]
    public async Task CreateOrUpdate_RetentionOutOfRange_Fails400()
    {
        var error = await Assert.ThrowsExactlyAsync<RequestFailedException>(
            () => vaults.CreateOrUpdateAsync(resourceGroup, TestEmulator.UniqueName("kv-ret-"),
                Definition(retention: 6)));

        Assert.AreEqual(400, error.Status);
    }

    [TestMethod]
    public async Task Delete_SoftDeletesVault_DeletedVaultListedAndNameHeld()
    {
        var name = TestEmulator.UniqueName("kv-soft-");
        await vaults.CreateOrUpdateAsync(resourceGroup, name, Definition(retention: 30));

        await vaults.DeleteAsync(resourceGroup, name);

        var missing = await Assert.ThrowsExactlyAsync<RequestFailedException>(() => vaults.GetAsync(resourceGroup,
            name));
        Assert.AreEqual(404, missing.Status);
        var deleted = await vaults.GetDeletedAsync("westus2", name);
        Assert.AreEqual(name, deleted.Name);
        Assert.AreEqual(TimeSpan.FromDays(30), deleted.ScheduledPurgeDate - deleted.DeletionDate);
        Assert.IsTrue((await vaults.ListDeletedAsync()).Any(v => v.Name == name));

        var conflict = await Assert.ThrowsExactlyAsync<RequestFailedException>(() => vaults.CreateOrUpdateAsync(resourceGroup, name, Definition()));
        Assert.AreEqual(409, conflict.Status);
        Assert.AreEqual("ConflictError", conflict.ErrorCode);

        var availability = await vaults.CheckNameAvailabilityAsync(name);
        Assert.IsFalse(availability.NameAvailable);
        Assert.AreEqual("AlreadyExists", availability.Reason);
    }

    [TestMethod]
    public async Task Recover_DeletedVault_ComesBackWithAccessPoliciesButWithoutRoleAssignments()
    {
        var name = TestEmulator.UniqueName("kv-recover-");
        var vault = await vaults.CreateOrUpdateAsync(resourceGroup, name, Definition());
        var roles = factory.GetRoleAssignmentsClient();
        var reader = TestEmulator.Shared.GetPrincipal(EmulatorPrincipals.Reader).ObjectId;
        await roles.CreateAsync(vault.Id, AzureBuiltInRoles.KeyVaultContributor, reader);
        await vaults.DeleteAsync(resourceGroup, name);

        var recovered = await vaults.RecoverAsync(resourceGroup, name, "westus2");

        Assert.AreEqual(vault.Id, recovered.Id);
        Assert.AreEqual(vault.AccessPolicies.Single().ObjectId, recovered.AccessPolicies.Single().ObjectId);
        Assert.IsFalse((await roles.ListAsync(vault.Id, reader)).Any(a => a.Scope == vault.Id));
        var gone = await Assert.ThrowsExactlyAsync<RequestFailedException>(() => vaults.GetDeletedAsync("westus2",
            name));
        Assert.AreEqual(404, gone.Status);
    }

    [TestMethod]
    public async Task Recover_NothingDeleted_Fails404SoftDeletedVaultDoesNotExist()
    {
        var error = await Assert.ThrowsExactlyAsync<RequestFailedException>(
            () => vaults.RecoverAsync(resourceGroup, TestEmulator.UniqueName("kv-none-"), "westus2"));

        Assert.AreEqual("SoftDeletedVaultDoesNotExist", error.ErrorCode);
    }

    [TestMethod]
    public async Task Purge_UnderPurgeProtection_FailsMethodNotAllowed()
    {
        var name = TestEmulator.UniqueName("kv-pp-");
        await vaults.CreateOrUpdateAsync(resourceGroup, name, Definition(purgeProtection: true));
        await vaults.DeleteAsync(resourceGroup, name);

        var error = await Assert.ThrowsExactlyAsync<RequestFailedException>(() => vaults.PurgeDeletedAsync("westus2",
            name));

        Assert.AreEqual("MethodNotAllowed", error.ErrorCode);
        Assert.IsNotNull(await vaults.GetDeletedAsync("westus2", name));
    }

    [TestMethod]
    public async Task Purge_WithoutPurgeProtection_FreesTheName()
    {
        var name = TestEmulator.UniqueName("kv-purge-");
        await vaults.CreateOrUpdateAsync(resourceGroup, name, Definition());
        await vaults.DeleteAsync(resourceGroup, name);

        await vaults.PurgeDeletedAsync("westus2", name);

        Assert.IsTrue((await vaults.CheckNameAvailabilityAsync(name)).NameAvailable);
        await vaults.CreateOrUpdateAsync(resourceGroup, name, Definition());
    }

    [TestMethod]
    public async Task CreateOrUpdate_OmittingPurgeProtection_KeepsItOn()
    {
        var name = TestEmulator.UniqueName("kv-ppoff-");
        await vaults.CreateOrUpdateAsync(resourceGroup, name, Definition(purgeProtection: true));
        var client = factory.ArmClient;
        var rest = new VaultsClient(client, TestEmulator.Shared.SubscriptionId);

        var updated = await rest.CreateOrUpdateAsync(resourceGroup, name, Definition(purgeProtection: false));

        Assert.IsTrue(updated.EnablePurgeProtection, "purge protection is irreversible: omitting it keeps it on");
    }

    [TestMethod]
    public async Task CheckNameAvailability_InvalidAndFreeNames()
    {
        var invalid = await vaults.CheckNameAvailabilityAsync("a--b");
        Assert.IsFalse(invalid.NameAvailable);
        Assert.AreEqual("AccountNameInvalid", invalid.Reason);

        Assert.IsTrue((await vaults.CheckNameAvailabilityAsync(TestEmulator.UniqueName("kv-free-"))).NameAvailable);
    }

    [TestMethod]
    public async Task UpdateAccessPolicies_AddReplaceRemove()
    {
        var name = TestEmulator.UniqueName("kv-ap-");
        await vaults.CreateOrUpdateAsync(resourceGroup, name, Definition());
        var tenant = TestEmulator.Shared.TenantId;
        var identity = Guid.NewGuid().ToString();

        var added = await vaults.UpdateAccessPoliciesAsync(resourceGroup, name, AccessPolicyUpdateKind.Add,
            [new VaultAccessPolicy(tenant, identity, ["get"])]);
        Assert.AreEqual(2, added.Count);
        await vaults.UpdateAccessPoliciesAsync(resourceGroup, name, AccessPolicyUpdateKind.Add,
            [new VaultAccessPolicy(tenant, identity, ["set"])]);
        var merged = (await vaults.GetAsync(resourceGroup, name)).AccessPolicies.Single(p => p.ObjectId == identity);
        CollectionAssert.AreEquivalent(new[] { "get", "set" }, merged.Secrets.ToArray());

        await vaults.UpdateAccessPoliciesAsync(resourceGroup, name, AccessPolicyUpdateKind.Replace,
            [new VaultAccessPolicy(tenant, identity, ["list"])]);
        var replaced = (await vaults.GetAsync(resourceGroup, name)).AccessPolicies.Single(p => p.ObjectId == identity);
        CollectionAssert.AreEquivalent(new[] { "list" }, replaced.Secrets.ToArray());

        await vaults.UpdateAccessPoliciesAsync(resourceGroup, name, AccessPolicyUpdateKind.Remove,
            [new VaultAccessPolicy(tenant, identity, ["list"])]);
        Assert.IsFalse((await vaults.GetAsync(resourceGroup, name)).AccessPolicies.Any(p => p.ObjectId == identity));
    }

    [TestMethod]
    public async Task UpdateAccessPolicies_Over1024Entries_Fails400()
    {
        var name = TestEmulator.UniqueName("kv-limit-");
        await vaults.CreateOrUpdateAsync(resourceGroup, name, Definition());
        var many = Enumerable.Range(0,
            1024).Select(_ => new VaultAccessPolicy(TestEmulator.Shared.TenantId, Guid.NewGuid().ToString(),
                ["get"])).ToList();

        var error = await Assert.ThrowsExactlyAsync<RequestFailedException>(
            () => vaults.UpdateAccessPoliciesAsync(resourceGroup, name, AccessPolicyUpdateKind.Add, many));

        Assert.AreEqual(400, error.Status);
        Assert.AreEqual("AccessPolicyLimitExceeded", error.ErrorCode);
    }

    [TestMethod]
    public async Task DeleteResourceGroup_SoftDeletesItsVaults()
    {
        var group = TestEmulator.UniqueName("rg-gone-");
        await factory.GetResourceGroupsClient().CreateOrUpdateAsync(group, "westus2");
        var name = TestEmulator.UniqueName("kv-gone-");
        await vaults.CreateOrUpdateAsync(group, name, Definition());

        await factory.GetResourceGroupsClient().DeleteAsync(group);

        Assert.IsFalse(await factory.GetResourceGroupsClient().ExistsAsync(group));
        var deleted = await vaults.GetDeletedAsync("westus2", name);
        StringAssert.Contains(deleted.VaultId, $"/resourceGroups/{group}/");
    }

    [TestMethod]
    public async Task CreateOrUpdate_WithNetworkRules_KeepsThem_NoneWithout()
    {
        var name = TestEmulator.UniqueName("kv-acl-");
        var rules = new VaultNetworkRules("Deny", "AzureServices", ["203.0.113.0/24", "198.51.100.7"]);

        var vault = await vaults.CreateOrUpdateAsync(resourceGroup, name, Definition() with { NetworkRules = rules });

        Assert.AreEqual("Deny", vault.NetworkRules!.DefaultAction);
        Assert.AreEqual("AzureServices", vault.NetworkRules.Bypass);
        CollectionAssert.AreEqual(rules.IpRules.ToArray(),
            (await vaults.GetAsync(resourceGroup, name)).NetworkRules!.IpRules.ToArray());
        Assert.IsNull((await vaults.CreateOrUpdateAsync(resourceGroup, TestEmulator.UniqueName("kv-open-"),
            Definition())).NetworkRules);
        var error = await Assert.ThrowsExactlyAsync<RequestFailedException>(() => vaults.CreateOrUpdateAsync(resourceGroup, TestEmulator.UniqueName("kv-bad-"),
            Definition() with { NetworkRules = new VaultNetworkRules("Deny", "AzureServices", ["not-an-address"]) }));
        Assert.AreEqual(400, error.Status);
    }
}
