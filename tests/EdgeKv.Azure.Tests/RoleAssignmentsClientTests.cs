using Azure;
using Azure.Identity;
using EdgeKv.Azure.Authorization;
using EdgeKv.Azure.Vaults;
using EdgeKv.Emulator;

namespace EdgeKv.Azure.Tests;

[TestClass]
public sealed class RoleAssignmentsClientTests
{
    private static EdgeKvAzureClientFactory owner = null!;
    private static string resourceGroup = null!;

    [ClassInitialize]
    public static async Task InitializeAsync(TestContext context)
    {
        owner = TestEmulator.Factory(TestEmulator.Shared);
        resourceGroup = TestEmulator.UniqueName("rg-rbac-");
        await owner.GetResourceGroupsClient().CreateOrUpdateAsync(resourceGroup, "westus2");
    }

    private static VaultDefinition Definition() => new("westus2", TestEmulator.Shared.TenantId, []);

    [TestMethod]
    public async Task PrincipalWithoutRole_IsRefusedWithAuthorizationFailed()
    {
        var noRoles = TestEmulator.Factory(TestEmulator.Shared, EmulatorPrincipals.NoRoles);
        var name = TestEmulator.UniqueName("kv-norole-");

        var error = await Assert.ThrowsExactlyAsync<RequestFailedException>(() => noRoles.GetVaultsClient().CreateOrUpdateAsync(resourceGroup, name, Definition()));

        Assert.AreEqual(403, error.Status);
        Assert.AreEqual("AuthorizationFailed", error.ErrorCode);
        var objectId = TestEmulator.Shared.GetPrincipal(EmulatorPrincipals.NoRoles).ObjectId;
        StringAssert.Contains(error.Message,
            $"The client '{objectId}' with object id '{objectId}' does not have authorization to perform action 'Microsoft.KeyVault/vaults/write' over scope");
    }

    [TestMethod]
    public async Task Reader_CanReadButNotWrite()
    {
        var name = TestEmulator.UniqueName("kv-reader-");
        await owner.GetVaultsClient().CreateOrUpdateAsync(resourceGroup, name, Definition());
        var reader = TestEmulator.Factory(TestEmulator.Shared, EmulatorPrincipals.Reader).GetVaultsClient();

        Assert.AreEqual(name, (await reader.GetAsync(resourceGroup, name)).Name);
        var error = await Assert.ThrowsExactlyAsync<RequestFailedException>(() => reader.DeleteAsync(resourceGroup,
            name));
        Assert.AreEqual("AuthorizationFailed", error.ErrorCode);
    }

    [TestMethod]
    public async Task Grant_KeyVaultContributorOnGroup_AllowsVaultsUntilDeleted()
    {
        var roles = owner.GetRoleAssignmentsClient();
        var principal = TestEmulator.Shared.GetPrincipal(EmulatorPrincipals.NoRoles).ObjectId;
        var groupId = $"/subscriptions/{TestEmulator.Shared.SubscriptionId}/resourceGroups/{resourceGroup}";
        var grant = await roles.CreateAsync(groupId, AzureBuiltInRoles.KeyVaultContributor, principal);
        var grantee = TestEmulator.Factory(TestEmulator.Shared, EmulatorPrincipals.NoRoles).GetVaultsClient();

        Assert.IsTrue((await roles.ListAsync(groupId, principal)).Any(a => a.Id == grant.Id));
        var vault = await grantee.CreateOrUpdateAsync(resourceGroup, TestEmulator.UniqueName("kv-granted-"),
            Definition());
        Assert.AreEqual("Succeeded", vault.ProvisioningState);
        var lockError = await Assert.ThrowsExactlyAsync<RequestFailedException>(
            () => TestEmulator.Factory(TestEmulator.Shared,
                EmulatorPrincipals.NoRoles).GetManagementLocksClient().CreateOrUpdateAsync(vault.Id, "l",
                    "CanNotDelete"));
        Assert.AreEqual("AuthorizationFailed", lockError.ErrorCode, "Key Vault Contributor cannot write locks");

        await roles.DeleteAsync(grant.Id);
        var error = await Assert.ThrowsExactlyAsync<RequestFailedException>(() => grantee.GetAsync(resourceGroup,
            vault.Name));
        Assert.AreEqual("AuthorizationFailed", error.ErrorCode);
    }

    [TestMethod]
    public async Task Grant_DuplicateAssignment_Fails409RoleAssignmentExists()
    {
        var roles = owner.GetRoleAssignmentsClient();
        var principal = TestEmulator.Shared.GetPrincipal(EmulatorPrincipals.Reader).ObjectId;
        var group = TestEmulator.UniqueName("rg-dup-");
        var scope = await owner.GetResourceGroupsClient().CreateOrUpdateAsync(group, "westus2");
        await roles.CreateAsync(scope, AzureBuiltInRoles.Contributor, principal);

        var error = await Assert.ThrowsExactlyAsync<RequestFailedException>(() => roles.CreateAsync(scope,
            AzureBuiltInRoles.Contributor, principal));

        Assert.AreEqual("RoleAssignmentExists", error.ErrorCode);
    }

    [TestMethod]
    public async Task Grant_UnknownPrincipal_Fails400PrincipalNotFound()
    {
        var error = await Assert.ThrowsExactlyAsync<RequestFailedException>(() => owner.GetRoleAssignmentsClient().CreateAsync(
            $"/subscriptions/{TestEmulator.Shared.SubscriptionId}", AzureBuiltInRoles.Reader, Guid.NewGuid()));

        Assert.AreEqual("PrincipalNotFound", error.ErrorCode);
    }

    [TestMethod]
    public async Task ClientSecretCredential_WrongSecret_FailsAuthentication()
    {
        var principal = TestEmulator.Shared.GetPrincipal(EmulatorPrincipals.EdgeKvService);
        var factory = new EdgeKvAzureClientFactory(new EdgeKvAzureOptions
        {
            Mode = AzureMode.Emulator,
            SubscriptionId = TestEmulator.Shared.SubscriptionId,
            TenantId = TestEmulator.Shared.TenantId,
            EmulatorEndpoint = TestEmulator.Shared.Endpoint,
            EmulatorCertificateThumbprint = TestEmulator.Shared.CertificateThumbprint,
            ClientId = principal.ClientId.ToString(),
            ClientSecret = "wrong",
        });

        await Assert.ThrowsExactlyAsync<AuthenticationFailedException>(() => factory.GetVaultsClient().ListAsync());
    }
}
