using Azure;
using EdgeKv.Azure.Locks;
using EdgeKv.Azure.Monitoring;
using EdgeKv.Azure.Storage;
using EdgeKv.Azure.Vaults;

namespace EdgeKv.Azure.Tests;

[TestClass]
public sealed class LocksAndDiagnosticsTests
{
    private static EdgeKvAzureClientFactory factory = null!;
    private static string resourceGroup = null!;
    private static string storageAccountId = null!;

    [ClassInitialize]
    public static async Task InitializeAsync(TestContext context)
    {
        factory = TestEmulator.Factory(TestEmulator.Shared);
        resourceGroup = TestEmulator.UniqueName("rg-locks-");
        await factory.GetResourceGroupsClient().CreateOrUpdateAsync(resourceGroup, "westus2");
        var account = await factory.GetStorageAccountsClient().CreateAsync(resourceGroup,
            TestEmulator.UniqueName("stlocks").ToLowerInvariant().Replace("-", "", StringComparison.Ordinal),
            "westus2");
        storageAccountId = account.Id;
    }

    private static async Task<VaultProperties> CreateVaultAsync(string prefix) =>
        await factory.GetVaultsClient().CreateOrUpdateAsync(resourceGroup, TestEmulator.UniqueName(prefix),
            new VaultDefinition("westus2", TestEmulator.Shared.TenantId, []));

    [TestMethod]
    public async Task Lock_CanNotDelete_RefusesVaultDeleteWithScopeLocked_UntilRemoved()
    {
        var vault = await CreateVaultAsync("kv-lock-");
        var locks = factory.GetManagementLocksClient();
        var created = await locks.CreateOrUpdateAsync(vault.Id, "edgekv-lock", "CanNotDelete",
            "EdgeKv keeps this vault");
        Assert.AreEqual("CanNotDelete", created.Level);
        Assert.AreEqual("EdgeKv keeps this vault", (await locks.GetAsync(vault.Id, "edgekv-lock")).Notes);
        Assert.AreEqual(1, (await locks.ListAsync(vault.Id)).Count);

        var error = await Assert.ThrowsExactlyAsync<RequestFailedException>(() => factory.GetVaultsClient().DeleteAsync(resourceGroup, vault.Name));
        Assert.AreEqual(409, error.Status);
        Assert.AreEqual("ScopeLocked", error.ErrorCode);
        StringAssert.Contains(error.Message,
            $"The scope '{vault.Id}' cannot perform delete operation because following scope(s) are locked");

        await locks.DeleteAsync(vault.Id, "edgekv-lock");
        await factory.GetVaultsClient().DeleteAsync(resourceGroup, vault.Name);
    }

    [TestMethod]
    public async Task Lock_OnVault_RefusesDeleteOfItsDiagnosticSetting()
    {
        var vault = await CreateVaultAsync("kv-diaglock-");
        var diagnostics = factory.GetDiagnosticSettingsClient();
        await diagnostics.CreateOrUpdateAsync(vault.Id, "audit", storageAccountId, categories: ["AuditEvent"]);
        await factory.GetManagementLocksClient().CreateOrUpdateAsync(vault.Id, "keep", "CanNotDelete");

        var error = await Assert.ThrowsExactlyAsync<RequestFailedException>(() => diagnostics.DeleteAsync(vault.Id,
            "audit"));

        Assert.AreEqual("ScopeLocked", error.ErrorCode);
        Assert.AreEqual(1, (await diagnostics.ListAsync(vault.Id)).Count);
    }

    [TestMethod]
    public async Task Lock_ReadOnly_RefusesWrites()
    {
        var vault = await CreateVaultAsync("kv-ro-");
        await factory.GetManagementLocksClient().CreateOrUpdateAsync(vault.Id, "frozen", "ReadOnly");

        var error = await Assert.ThrowsExactlyAsync<RequestFailedException>(() => factory.GetVaultsClient().UpdateAccessPoliciesAsync(
            resourceGroup, vault.Name, AccessPolicyUpdateKind.Add,
            [new VaultAccessPolicy(TestEmulator.Shared.TenantId, Guid.NewGuid().ToString(), ["get"])]));

        Assert.AreEqual("ScopeLocked", error.ErrorCode);
        StringAssert.Contains(error.Message, "cannot perform write operation");
    }

    [TestMethod]
    public async Task List_AtResourceGroup_IncludesTheLocksOfItsResources_AndAReadOnlyGroupLockFreezesThem()
    {
        var group = TestEmulator.UniqueName("rg-locklist-");
        await factory.GetResourceGroupsClient().CreateOrUpdateAsync(group, "westus2");
        var vaults = factory.GetVaultsClient();
        var first = await vaults.CreateOrUpdateAsync(group, TestEmulator.UniqueName("kv-ll1-"),
            new VaultDefinition("westus2", TestEmulator.Shared.TenantId, []));
        var second = await vaults.CreateOrUpdateAsync(group, TestEmulator.UniqueName("kv-ll2-"),
            new VaultDefinition("westus2", TestEmulator.Shared.TenantId, []));
        var locks = factory.GetManagementLocksClient();
        await locks.CreateOrUpdateAsync(first.Id, "keep", "CanNotDelete");
        var groupScope = $"/subscriptions/{TestEmulator.Shared.SubscriptionId}/resourceGroups/{group}";

        var listed = await locks.ListAsync(groupScope);

        Assert.AreEqual(1, listed.Count, "the group's list holds the lock of the vault in it");
        StringAssert.StartsWith(listed[0].Id, first.Id + "/providers/Microsoft.Authorization/locks/",
            StringComparison.OrdinalIgnoreCase);
        Assert.IsEmpty(await locks.ListAsync(second.Id), "a resource's list holds only its own locks");

        await locks.CreateOrUpdateAsync(groupScope, "freeze", "ReadOnly");
        var error = await Assert.ThrowsExactlyAsync<RequestFailedException>(() => vaults.UpdateAccessPoliciesAsync(
            group, second.Name, AccessPolicyUpdateKind.Add,
            [new VaultAccessPolicy(TestEmulator.Shared.TenantId, Guid.NewGuid().ToString(), ["get"])]));
        Assert.AreEqual("ScopeLocked", error.ErrorCode);
        await locks.DeleteAsync(groupScope, "freeze");
        await vaults.UpdateAccessPoliciesAsync(group, second.Name, AccessPolicyUpdateKind.Add,
            [new VaultAccessPolicy(TestEmulator.Shared.TenantId, Guid.NewGuid().ToString(), ["get"])]);
    }

    [TestMethod]
    public async Task Lock_OnResourceGroup_RefusesStorageAccountDelete()
    {
        var group = TestEmulator.UniqueName("rg-grouplock-");
        await factory.GetResourceGroupsClient().CreateOrUpdateAsync(group, "westus2");
        var storage = factory.GetStorageAccountsClient();
        var name = TestEmulator.UniqueName("stgl").Replace("-", "", StringComparison.Ordinal);
        await storage.CreateAsync(group, name, "westus2");
        var groupId = $"/subscriptions/{TestEmulator.Shared.SubscriptionId}/resourceGroups/{group}";
        await factory.GetManagementLocksClient().CreateOrUpdateAsync(groupId, "group-lock", "CanNotDelete");

        var error = await Assert.ThrowsExactlyAsync<RequestFailedException>(() => storage.DeleteAsync(group, name));
        Assert.AreEqual("ScopeLocked", error.ErrorCode);
        var groupError = await Assert.ThrowsExactlyAsync<RequestFailedException>(() => factory.GetResourceGroupsClient().DeleteAsync(group));
        Assert.AreEqual("ScopeLocked", groupError.ErrorCode);
    }

    [TestMethod]
    public async Task DiagnosticSettings_CreateGetListDelete()
    {
        var vault = await CreateVaultAsync("kv-diag-");
        var diagnostics = factory.GetDiagnosticSettingsClient();

        var byCategory = await diagnostics.CreateOrUpdateAsync(vault.Id, "audit-events", storageAccountId,
            categories: ["AuditEvent"]);
        var byGroup = await diagnostics.CreateOrUpdateAsync(vault.Id, "audit-group", storageAccountId,
            categoryGroups: ["audit"]);

        Assert.AreEqual(storageAccountId, byCategory.StorageAccountId);
        CollectionAssert.AreEqual(new[] { "AuditEvent" }, byCategory.Categories.ToArray());
        CollectionAssert.AreEqual(new[] { "audit" }, byGroup.CategoryGroups.ToArray());
        Assert.AreEqual("audit-events", (await diagnostics.GetAsync(vault.Id, "audit-events")).Name);
        Assert.AreEqual(2, (await diagnostics.ListAsync(vault.Id)).Count);

        await diagnostics.DeleteAsync(vault.Id, "audit-events");
        var missing = await Assert.ThrowsExactlyAsync<RequestFailedException>(() => diagnostics.GetAsync(vault.Id,
            "audit-events"));
        Assert.AreEqual(404, missing.Status);
    }

    [TestMethod]
    public async Task DiagnosticSettings_UnknownCategory_Fails400()
    {
        var vault = await CreateVaultAsync("kv-diagbad-");

        var error = await Assert.ThrowsExactlyAsync<RequestFailedException>(
            () => factory.GetDiagnosticSettingsClient().CreateOrUpdateAsync(vault.Id, "bad", storageAccountId,
                categories: ["NotACategory"]));

        Assert.AreEqual(400, error.Status);
    }
}
