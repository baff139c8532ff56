using Azure.Core;
using Azure.Identity;

namespace EdgeKv.Azure.Tests;

/// <summary>
/// The real <see cref="ManagedIdentityCredential"/> reads IDENTITY_ENDPOINT and IDENTITY_HEADER from the process
/// environment, so this class runs alone (no other test reads those variables).
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class ManagedIdentityCredentialTests
{
    [TestMethod]
    public async Task ManagedIdentityCredential_AppServiceProtocol_TokenAcceptedByResourceManager()
    {
        var factory = TestEmulator.Factory(TestEmulator.Shared);
        var resourceGroup = TestEmulator.UniqueName("rg-mi-");
        await factory.GetResourceGroupsClient().CreateOrUpdateAsync(resourceGroup, "westus2");
        var device = await factory.GetEdgeDevicesClient().CreateAsync(resourceGroup, TestEmulator.UniqueName("ase-"),
            "westus2");
        var identity = (await TestEmulator.Shared.Admin.GetIdentityAsync(device.Id))!;
        await factory.GetRoleAssignmentsClient().CreateAsync(device.Id, Authorization.AzureBuiltInRoles.Reader,
            identity.PrincipalId);
        var previousEndpoint = Environment.GetEnvironmentVariable("IDENTITY_ENDPOINT");
        var previousHeader = Environment.GetEnvironmentVariable("IDENTITY_HEADER");
        Environment.SetEnvironmentVariable("IDENTITY_ENDPOINT", identity.Endpoint.ToString());
        Environment.SetEnvironmentVariable("IDENTITY_HEADER", identity.Header);
        try
        {
            var credential = new ManagedIdentityCredential(new ManagedIdentityCredentialOptions(ManagedIdentityId.SystemAssigned));
            var token = await credential.GetTokenAsync(new TokenRequestContext(["https://vault.azure.net/.default"]));
            Assert.IsFalse(string.IsNullOrEmpty(token.Token));

            var asIdentity = factory.CreateArmClient(credential);
            var name = device.Id.Split('/')[^1];
            var fetched = await factory.GetEdgeDevicesClient(asIdentity).GetAsync(resourceGroup, name);
            Assert.AreEqual(identity.PrincipalId, fetched.PrincipalId);
            var requests = await TestEmulator.Shared.Admin.GetRequestsAsync(method: "GET", pathContains: name,
                callerObjectId: identity.PrincipalId);
            Assert.IsTrue(requests.Any(r => r.Status == 200));
        }
        finally
        {
            Environment.SetEnvironmentVariable("IDENTITY_ENDPOINT", previousEndpoint);
            Environment.SetEnvironmentVariable("IDENTITY_HEADER", previousHeader);
        }
    }
}
