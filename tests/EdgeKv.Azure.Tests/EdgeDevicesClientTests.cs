using Azure;
using EdgeKv.Azure.Authorization;
using EdgeKv.Azure.Edge;

namespace EdgeKv.Azure.Tests;

[TestClass]
public sealed class EdgeDevicesClientTests
{
    private static EdgeKvAzureClientFactory factory = null!;
    private static EdgeDevicesClient devices = null!;
    private static string resourceGroup = null!;

    [ClassInitialize]
    public static async Task InitializeAsync(TestContext context)
    {
        factory = TestEmulator.Factory(TestEmulator.Shared);
        devices = factory.GetEdgeDevicesClient();
        resourceGroup = TestEmulator.UniqueName("rg-edge-");
        await factory.GetResourceGroupsClient().CreateOrUpdateAsync(resourceGroup, "westus2");
    }

    [TestMethod]
    public async Task Create_HasSystemAssignedIdentity_KeptAcrossDisableAndEnable()
    {
        var name = TestEmulator.UniqueName("ase-");
        var created = await devices.CreateAsync(resourceGroup, name, "westus2");
        Assert.AreEqual("SystemAssigned", created.IdentityType);
        Assert.IsNotNull(created.PrincipalId);
        Assert.AreEqual(TestEmulator.Shared.TenantId, created.TenantId);

        var disabled = await devices.SetIdentityEnabledAsync(resourceGroup, name, enabled: false);
        Assert.AreEqual("None", disabled.IdentityType);
        Assert.IsNull(disabled.PrincipalId);

        var enabled = await devices.SetIdentityEnabledAsync(resourceGroup, name, enabled: true);
        Assert.AreEqual(created.PrincipalId, enabled.PrincipalId);
        Assert.AreEqual(created.PrincipalId, (await devices.GetAsync(resourceGroup, name)).PrincipalId);
    }

    [TestMethod]
    public async Task List_ReturnsTheGroupsDevicesWithTheirIdentities()
    {
        var group = TestEmulator.UniqueName("rg-edgelist-");
        await factory.GetResourceGroupsClient().CreateOrUpdateAsync(group, "westus2");
        var on = await devices.CreateAsync(group, TestEmulator.UniqueName("ase-on-"), "westus2",
            new Dictionary<string, string> { ["site"] = "north" });
        var off = await devices.CreateAsync(group, TestEmulator.UniqueName("ase-off-"), "westus2");
        await devices.SetIdentityEnabledAsync(group, off.Name, enabled: false);
        await devices.CreateAsync(resourceGroup, TestEmulator.UniqueName("ase-elsewhere-"), "westus2");

        var listed = (await devices.ListAsync(group)).ToDictionary(d => d.Name, StringComparer.OrdinalIgnoreCase);

        Assert.HasCount(2, listed);
        Assert.AreEqual(on.PrincipalId, listed[on.Name].PrincipalId);
        Assert.AreEqual("SystemAssigned", listed[on.Name].IdentityType);
        Assert.AreEqual("north", listed[on.Name].Tags["site"]);
        Assert.IsNull(listed[off.Name].PrincipalId);
        Assert.AreEqual("None", listed[off.Name].IdentityType);
    }

    [TestMethod]
    public async Task Delete_RemovesDeviceAndItsIdentity()
    {
        var name = TestEmulator.UniqueName("ase-del-");
        var created = await devices.CreateAsync(resourceGroup, name, "westus2");

        await devices.DeleteAsync(resourceGroup, name);

        var missing = await Assert.ThrowsExactlyAsync<RequestFailedException>(() => devices.GetAsync(resourceGroup,
            name));
        Assert.AreEqual(404, missing.Status);
        Assert.IsNull(await TestEmulator.Shared.Admin.GetIdentityAsync(created.Id));
    }

    [TestMethod]
    public async Task IdentityToken_FromEndpointAndHeader_IsAcceptedAndAuthorizedByRoleAssignment()
    {
        var name = TestEmulator.UniqueName("ase-mi-");
        var device = await devices.CreateAsync(resourceGroup, name, "westus2");
        var identity = (await TestEmulator.Shared.Admin.GetIdentityAsync(device.Id))!;
        Assert.AreEqual(device.PrincipalId, identity.PrincipalId);
        using var credential = new AppServiceIdentityCredential(identity.Endpoint, identity.Header);
        var asIdentity = factory.CreateArmClient(credential);
        var groupId = $"/subscriptions/{TestEmulator.Shared.SubscriptionId}/resourceGroups/{resourceGroup}";

        var refused = await Assert.ThrowsExactlyAsync<RequestFailedException>(() => factory.GetEdgeDevicesClient(asIdentity).GetAsync(resourceGroup, name));
        Assert.AreEqual(403, refused.Status);
        Assert.AreEqual("AuthorizationFailed", refused.ErrorCode);

        await factory.GetRoleAssignmentsClient().CreateAsync(groupId, AzureBuiltInRoles.Reader, identity.PrincipalId);
        Assert.AreEqual(name, (await factory.GetEdgeDevicesClient(asIdentity).GetAsync(resourceGroup, name)).Name);
    }

    [TestMethod]
    public async Task ExtendedInformation_RecordsVaultAndChannelIntegrityKey()
    {
        var name = TestEmulator.UniqueName("ase-ext-");
        await devices.CreateAsync(resourceGroup, name, "westus2");
        Assert.AreEqual("KeyVaultNotConfigured",
            (await devices.GetExtendedInformationAsync(resourceGroup, name)).KeyVaultSyncStatus);
        var vaultId = $"/subscriptions/{TestEmulator.Shared.SubscriptionId}/resourceGroups/{resourceGroup}/providers/Microsoft.KeyVault/vaults/kv-ext";

        var updated = await devices.UpdateExtendedInformationAsync(resourceGroup, name,
            new EdgeDeviceExtendedInfo(vaultId, "https://127.0.0.1/vaults/kv-ext/", "cik", "0123456789abcdef", null));

        Assert.AreEqual(vaultId, updated.ClientSecretStoreId);
        Assert.AreEqual("KeyVaultSynced", updated.KeyVaultSyncStatus);
        var failed = await devices.UpdateExtendedInformationAsync(resourceGroup, name,
            new EdgeDeviceExtendedInfo(null, null, null, null, "KeyVaultSyncFailed"));
        Assert.AreEqual(("cik", "KeyVaultSyncFailed"), (failed.ChannelIntegrityKeyName, failed.KeyVaultSyncStatus));
    }
}
