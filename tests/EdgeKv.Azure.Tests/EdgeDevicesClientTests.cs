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
    public async Task Delete_RemovesDeviceAndItsIdentity()
    {
        var name = TestEmulator.UniqueName("ase-del-");
        var created = await devices.CreateAsync(resourceGroup, name, "westus2");

        await devices.DeleteAsync(resourceGroup, name);

        var missing = await Assert.ThrowsExactlyAsync<RequestFailedException>(() => devices.GetAsync(resourceGroup, name));
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
}
