using Azure;
using Azure.Core;
using Azure.Identity;
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
        var credential = new HeaderIdentityCredential(identity.Endpoint, identity.Header);
        var asIdentity = factory.CreateArmClient(credential);
        var groupId = $"/subscriptions/{TestEmulator.Shared.SubscriptionId}/resourceGroups/{resourceGroup}";

        var refused = await Assert.ThrowsExactlyAsync<RequestFailedException>(() => factory.GetEdgeDevicesClient(asIdentity).GetAsync(resourceGroup, name));
        Assert.AreEqual(403, refused.Status);
        Assert.AreEqual("AuthorizationFailed", refused.ErrorCode);

        await factory.GetRoleAssignmentsClient().CreateAsync(groupId, AzureBuiltInRoles.Reader, identity.PrincipalId);
        Assert.AreEqual(name, (await factory.GetEdgeDevicesClient(asIdentity).GetAsync(resourceGroup, name)).Name);
    }

    /// <summary>The App Service managed-identity protocol without process-wide environment variables (one endpoint, header per identity).</summary>
    private sealed class HeaderIdentityCredential(Uri endpoint, string header) : TokenCredential
    {
        private static readonly HttpClient Http = new();

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            GetTokenAsync(requestContext, cancellationToken).AsTask().GetAwaiter().GetResult();

        public override async ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            var resource = requestContext.Scopes[0].Replace("/.default", string.Empty, StringComparison.Ordinal);
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{endpoint}?api-version=2019-08-01&resource={Uri.EscapeDataString(resource)}");
            request.Headers.Add("X-IDENTITY-HEADER", header);
            using var response = await Http.SendAsync(request, cancellationToken);
            response.EnsureSuccessStatusCode();
            var json = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!;
            return new AccessToken((string)json["access_token"]!, DateTimeOffset.FromUnixTimeSeconds(long.Parse((string)json["expires_on"]!, System.Globalization.CultureInfo.InvariantCulture)));
        }
    }
}
