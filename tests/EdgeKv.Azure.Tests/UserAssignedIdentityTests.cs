using Azure;
using Azure.Core;
using Azure.Identity;
using Azure.ResourceManager.Resources;
using EdgeKv.Azure.Authorization;
using EdgeKv.Emulator.Admin;
using Microsoft.IdentityModel.JsonWebTokens;

namespace EdgeKv.Azure.Tests;

/// <summary>
/// The real <see cref="ManagedIdentityCredential"/> as a Functions app with a user-assigned identity uses it: the App
/// Service protocol (IDENTITY_ENDPOINT and IDENTITY_HEADER from the process environment, so this class runs alone)
/// against the emulator's managed-identity endpoint, choosing the identity by client id, resource id or object id.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class UserAssignedIdentityTests
{
    private static readonly string[] Variables = ["IDENTITY_ENDPOINT", "IDENTITY_HEADER"];

    [TestMethod]
    public async Task The_credential_gets_the_attached_identitys_token_by_client_id_and_Resource_Manager_accepts_it()
    {
        var factory = TestEmulator.Factory(TestEmulator.Shared);
        var resourceGroup = TestEmulator.UniqueName("rg-uai-");
        await factory.GetResourceGroupsClient().CreateOrUpdateAsync(resourceGroup, "westus2");
        var identity = await CreateIdentityAsync(factory, resourceGroup, "app-identity");
        await factory.GetRoleAssignmentsClient().CreateAsync($"/subscriptions/{TestEmulator.Shared.SubscriptionId}/resourceGroups/{resourceGroup}",
            AzureBuiltInRoles.Reader, identity.PrincipalId);
        var host = await TestEmulator.Shared.Admin.PutIdentityHostAsync(TestEmulator.UniqueName("site-"),
            [identity.Id]);
        var since = await TestEmulator.Shared.Admin.GetNowAsync();

        await WithHostEnvironmentAsync(host, async () =>
        {
            var credential = new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(identity.ClientId.ToString()));
            var token = await credential.GetTokenAsync(new TokenRequestContext(["https://management.azure.com/.default"]));
            var claims = new JsonWebToken(token.Token);
            Assert.AreEqual(identity.PrincipalId.ToString(), claims.GetClaim("oid").Value);
            Assert.AreEqual(identity.ClientId.ToString(), claims.GetClaim("appid").Value);

            Assert.IsTrue(await factory.GetResourceGroupsClient(factory.CreateArmClient(credential)).ExistsAsync(resourceGroup));
        });

        // What Azure.Identity sent: the App Service api-version and the client id, with the header (else no token).
        var sent = (await TestEmulator.Shared.Admin.GetRequestsAsync(method: "GET", pathContains: "/msi/token",
            since: since)).Where(r => r.Status == 200).ToList();
        Assert.IsTrue(sent.Count > 0);
        StringAssert.Contains(sent[0].Query, "api-version=2019-08-01");
        StringAssert.Contains(sent[0].Query, $"client_id={identity.ClientId}");
        Assert.IsTrue((await TestEmulator.Shared.Admin.GetRequestsAsync(pathContains: resourceGroup,
            callerObjectId: identity.PrincipalId, since: since)).Any(r => r.Status is 200 or 204));
    }

    [TestMethod]
    public async Task The_identity_is_chosen_by_resource_id_or_object_id_among_those_attached()
    {
        var factory = TestEmulator.Factory(TestEmulator.Shared);
        var resourceGroup = TestEmulator.UniqueName("rg-uai-");
        await factory.GetResourceGroupsClient().CreateOrUpdateAsync(resourceGroup, "westus2");
        var first = await CreateIdentityAsync(factory, resourceGroup, "first");
        var second = await CreateIdentityAsync(factory, resourceGroup, "second");
        var host = await TestEmulator.Shared.Admin.PutIdentityHostAsync(TestEmulator.UniqueName("site-"),
            [first.Id, second.Id]);
        var since = await TestEmulator.Shared.Admin.GetNowAsync();

        await WithHostEnvironmentAsync(host, async () =>
        {
            Assert.AreEqual(second.PrincipalId.ToString(),
                await ObjectIdAsync(ManagedIdentityId.FromUserAssignedResourceId(new ResourceIdentifier(second.Id))));
            Assert.AreEqual(first.PrincipalId.ToString(),
                await ObjectIdAsync(ManagedIdentityId.FromUserAssignedObjectId(first.PrincipalId.ToString())));
        });

        var queries = (await TestEmulator.Shared.Admin.GetRequestsAsync(method: "GET", pathContains: "/msi/token",
            since: since)).Select(r => r.Query).ToList();
        // What Azure.Identity 1.21 (MSAL's App Service source) sends: mi_res_id for a resource id, object_id for an
        // object id.
        Assert.IsTrue(queries.Any(q => q.Contains($"mi_res_id={second.Id}", StringComparison.Ordinal)),
            string.Join(", ", queries));
        Assert.IsTrue(queries.Any(q => q.Contains($"object_id={first.PrincipalId}", StringComparison.Ordinal)),
            string.Join(", ", queries));
    }

    [TestMethod]
    public async Task An_identity_not_attached_to_the_host_or_no_identity_named_gets_no_token()
    {
        var factory = TestEmulator.Factory(TestEmulator.Shared);
        var resourceGroup = TestEmulator.UniqueName("rg-uai-");
        await factory.GetResourceGroupsClient().CreateOrUpdateAsync(resourceGroup, "westus2");
        var attached = await CreateIdentityAsync(factory, resourceGroup, "attached");
        var other = await CreateIdentityAsync(factory, resourceGroup, "other");
        var host = await TestEmulator.Shared.Admin.PutIdentityHostAsync(TestEmulator.UniqueName("site-"),
            [attached.Id]);

        await WithHostEnvironmentAsync(host, async () =>
        {
            await Assert.ThrowsAsync<AuthenticationFailedException>(() => ObjectIdAsync(ManagedIdentityId.FromUserAssignedClientId(other.ClientId.ToString())));
            // The site has no system-assigned identity: asking for one gets nothing, as in App Service.
            await Assert.ThrowsAsync<AuthenticationFailedException>(() => ObjectIdAsync(ManagedIdentityId.SystemAssigned));
        });
    }

    [TestMethod]
    public async Task The_endpoint_refuses_another_api_version_and_a_wrong_header()
    {
        var factory = TestEmulator.Factory(TestEmulator.Shared);
        var resourceGroup = TestEmulator.UniqueName("rg-uai-");
        await factory.GetResourceGroupsClient().CreateOrUpdateAsync(resourceGroup, "westus2");
        var identity = await CreateIdentityAsync(factory, resourceGroup, "checked");
        var host = await TestEmulator.Shared.Admin.PutIdentityHostAsync(TestEmulator.UniqueName("site-"),
            [identity.Id]);
        using var http = new HttpClient();

        async Task<int> StatusAsync(string apiVersion, string header)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get,
                $"{host.Endpoint}?api-version={apiVersion}&resource=https://vault.azure.net&client_id={identity.ClientId}");
            request.Headers.Add("X-IDENTITY-HEADER", header);
            using var response = await http.SendAsync(request);
            return (int)response.StatusCode;
        }

        Assert.AreEqual(200, await StatusAsync("2019-08-01", host.Header));
        Assert.AreEqual(400, await StatusAsync("2017-09-01", host.Header));
        Assert.AreEqual(400, await StatusAsync("2019-08-01", host.Header + "0"));
    }

    [TestMethod]
    public async Task An_identity_host_takes_only_user_assigned_identities_the_emulator_has()
    {
        var factory = TestEmulator.Factory(TestEmulator.Shared);
        var resourceGroup = TestEmulator.UniqueName("rg-uai-");
        await factory.GetResourceGroupsClient().CreateOrUpdateAsync(resourceGroup, "westus2");
        var device = await factory.GetEdgeDevicesClient().CreateAsync(resourceGroup, TestEmulator.UniqueName("ase-"),
            "westus2");
        var identity = await CreateIdentityAsync(factory, resourceGroup, "kept");
        var name = TestEmulator.UniqueName("site-");

        await Assert.ThrowsAsync<InvalidOperationException>(() => TestEmulator.Shared.Admin.PutIdentityHostAsync(name,
            [device.Id]));
        await Assert.ThrowsAsync<InvalidOperationException>(() => TestEmulator.Shared.Admin.PutIdentityHostAsync(name,
            [identity.Id + "-missing"]));
        var first = await TestEmulator.Shared.Admin.PutIdentityHostAsync(name, [identity.Id]);
        var again = await TestEmulator.Shared.Admin.PutIdentityHostAsync(name, []);
        Assert.AreEqual(first.Header, again.Header,
            "a host keeps its header while identities are attached or detached");
        Assert.AreEqual(0, again.UserAssignedIdentities.Count);
    }

    [TestMethod]
    public async Task Deleting_the_identity_resource_ends_its_tokens()
    {
        var factory = TestEmulator.Factory(TestEmulator.Shared);
        var resourceGroup = TestEmulator.UniqueName("rg-uai-");
        await factory.GetResourceGroupsClient().CreateOrUpdateAsync(resourceGroup, "westus2");
        var identity = await CreateIdentityAsync(factory, resourceGroup, "deleted");
        var host = await TestEmulator.Shared.Admin.PutIdentityHostAsync(TestEmulator.UniqueName("site-"),
            [identity.Id]);
        await factory.ArmClient.GetGenericResource(new ResourceIdentifier(identity.Id)).DeleteAsync(WaitUntil.Completed);

        await WithHostEnvironmentAsync(host, () =>
            Assert.ThrowsAsync<AuthenticationFailedException>(() => ObjectIdAsync(ManagedIdentityId.FromUserAssignedClientId(identity.ClientId.ToString()))));
    }

    /// <summary>A user-assigned identity created through Resource Manager, with the ids Azure gives it.</summary>
    internal static async Task<(string Id, Guid PrincipalId,
        Guid ClientId)> CreateIdentityAsync(EdgeKvAzureClientFactory factory, string resourceGroup, string name)
    {
        var id = new ResourceIdentifier($"/subscriptions/{factory.Options.SubscriptionId}/resourceGroups/{resourceGroup}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{name}");
        var created = (await factory.ArmClient.GetGenericResources().CreateOrUpdateAsync(WaitUntil.Completed, id,
            new GenericResourceData(new AzureLocation("westus2")))).Value;
        var properties = created.Data.Properties.ToObjectFromJson<Dictionary<string, string>>()!;
        return (created.Id.ToString(), Guid.Parse(properties["principalId"]), Guid.Parse(properties["clientId"]));
    }

    private static async Task<string> ObjectIdAsync(ManagedIdentityId id)
    {
        // Storage's audience: no other test of this assembly asks a managed identity for it, so no cached token
        // answers.
        var token = await new ManagedIdentityCredential(new ManagedIdentityCredentialOptions(id)).GetTokenAsync(new TokenRequestContext(["https://storage.azure.com/.default"]));
        return new JsonWebToken(token.Token).GetClaim("oid").Value;
    }

    private static async Task WithHostEnvironmentAsync(ManagedIdentityHostInfo host, Func<Task> body)
    {
        var previous = Variables.Select(Environment.GetEnvironmentVariable).ToArray();
        Environment.SetEnvironmentVariable("IDENTITY_ENDPOINT", host.Endpoint.ToString());
        Environment.SetEnvironmentVariable("IDENTITY_HEADER", host.Header);
        try
        {
            await body();
        }
        finally
        {
            for (var i = 0; i < Variables.Length; i++) Environment.SetEnvironmentVariable(Variables[i], previous[i]);
        }
    }
}
