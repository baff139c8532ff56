using Azure;
using Azure.Security.KeyVault.Secrets;
using EdgeKv.Azure.Authorization;
using EdgeKv.Azure.Vaults;
using EdgeKv.Emulator;

namespace EdgeKv.Azure.Tests.KeyVault;

/// <summary>
/// A vault on Azure RBAC, reached with the real SecretClient: the data plane answers as Key Vault does, from role
/// assignments at the secret, the vault or above (custom roles with data actions, not-data-actions and wildcards), and
/// ignores the vault's access policies; a management role such as Owner carries no data action.
/// </summary>
[TestClass]
public sealed class RbacDataPlaneTests
{
    private const string GetSecret = "Microsoft.KeyVault/vaults/secrets/getSecret/action";
    private const string SetSecret = "Microsoft.KeyVault/vaults/secrets/setSecret/action";
    private static readonly string ResourceGroup = TestEmulator.UniqueName("rg-rbacdp-");
    private static EdgeKvAzureClientFactory owner = null!;
    private static string groupId = null!;

    [ClassInitialize]
    public static async Task InitializeAsync(TestContext context)
    {
        owner = TestEmulator.Factory(TestEmulator.Shared);
        await owner.GetResourceGroupsClient().CreateOrUpdateAsync(ResourceGroup, "westus2");
        groupId = $"/subscriptions/{TestEmulator.Shared.SubscriptionId}/resourceGroups/{ResourceGroup}";
    }

    [TestMethod]
    public async Task Without_a_role_assignment_the_caller_is_ForbiddenByRbac_even_with_an_access_policy_and_with_one_it_succeeds()
    {
        EmulatorPrincipal caller = TestEmulator.Shared.GetPrincipal(EmulatorPrincipals.NoRoles);
        VaultProperties vault = await RbacVaultAsync("kv-rbac1-",
            [new VaultAccessPolicy(TestEmulator.Shared.TenantId, caller.ObjectId.ToString(), ["all"])]);
        SecretClient secrets = TestEmulator.Factory(TestEmulator.Shared,
            EmulatorPrincipals.NoRoles).CreateSecretClient(vault.VaultUri!);

        RequestFailedException refused = await Assert.ThrowsExactlyAsync<RequestFailedException>(() => secrets.SetSecretAsync("s1", "v1"));

        Assert.AreEqual(403, refused.Status);
        Assert.AreEqual("Forbidden", refused.ErrorCode);
        StringAssert.Contains(refused.Message, "ForbiddenByRbac");
        StringAssert.Contains(refused.Message, $"Action: '{SetSecret}'");
        StringAssert.Contains(refused.Message, $"oid={caller.ObjectId}");
        StringAssert.Contains(refused.Message, $"Resource: '{vault.Id.ToLowerInvariant()}/secrets/s1'");

        Guid role = await CustomRoleAsync("get-set", [GetSecret, SetSecret], []);
        await owner.GetRoleAssignmentsClient().CreateAsync(vault.Id, role, caller.ObjectId);

        Assert.AreEqual("v1", (await secrets.SetSecretAsync("s1", "v1")).Value.Value);
        Assert.AreEqual("v1", (await secrets.GetSecretAsync("s1")).Value.Value);
        RequestFailedException list = await Assert.ThrowsExactlyAsync<RequestFailedException>(async () =>
        {
            await foreach (SecretProperties _ in secrets.GetPropertiesOfSecretsAsync()) { }
        });
        Assert.AreEqual(403, list.Status, "listing needs readMetadata, which the role does not grant");
        StringAssert.Contains(list.Message, "Microsoft.KeyVault/vaults/secrets/readMetadata/action");
    }

    [TestMethod]
    public async Task A_wildcard_grants_every_secret_action_but_what_its_not_data_actions_take_away()
    {
        EmulatorPrincipal caller = TestEmulator.Shared.GetPrincipal(EmulatorPrincipals.Operator);
        VaultProperties vault = await RbacVaultAsync("kv-rbac2-", []);
        SecretClient secrets = TestEmulator.Factory(TestEmulator.Shared,
            EmulatorPrincipals.Operator).CreateSecretClient(vault.VaultUri!);
        Guid role = await CustomRoleAsync("write-only", ["Microsoft.KeyVault/vaults/secrets/*"], [GetSecret]);
        await owner.GetRoleAssignmentsClient().CreateAsync(groupId, role, caller.ObjectId);

        await secrets.SetSecretAsync("w1", "written");
        int listed = 0;
        await foreach (SecretProperties _ in secrets.GetPropertiesOfSecretsAsync()) listed++;
        RequestFailedException read = await Assert.ThrowsExactlyAsync<RequestFailedException>(() => secrets.GetSecretAsync("w1"));

        Assert.AreEqual(1, listed, "an assignment on the resource group applies to the vault in it");
        Assert.AreEqual(403, read.Status);
        StringAssert.Contains(read.Message, "ForbiddenByRbac");
        StringAssert.Contains(read.Message, $"Action: '{GetSecret}'");
    }

    [TestMethod]
    public async Task Owner_of_the_subscription_has_no_data_access_and_a_vault_scoped_assignment_reaches_only_that_vault()
    {
        VaultProperties vault = await RbacVaultAsync("kv-rbac3-", []);
        VaultProperties other = await RbacVaultAsync("kv-rbac4-", []);
        SecretClient asOwner = owner.CreateSecretClient(vault.VaultUri!);
        RequestFailedException ownerRefused = await Assert.ThrowsExactlyAsync<RequestFailedException>(() => asOwner.SetSecretAsync("one", "x"));
        Assert.AreEqual(403, ownerRefused.Status, "Owner carries actions, no data actions");

        EmulatorPrincipal self = TestEmulator.Shared.GetPrincipal(EmulatorPrincipals.EdgeKvService);
        await owner.GetRoleAssignmentsClient().CreateAsync(vault.Id, AzureBuiltInRoles.KeyVaultSecretsOfficer,
            self.ObjectId);

        await asOwner.SetSecretAsync("one", "x");
        RequestFailedException elsewhere = await Assert.ThrowsExactlyAsync<RequestFailedException>(() => owner.CreateSecretClient(other.VaultUri!).SetSecretAsync("two", "y"));
        Assert.AreEqual(403, elsewhere.Status);
        Assert.AreEqual("x", (await asOwner.GetSecretAsync("one")).Value.Value);
    }

    [TestMethod]
    public async Task A_custom_role_is_refused_outside_its_assignable_scopes_and_the_same_role_name_twice()
    {
        Guid role = await CustomRoleAsync("scoped", [GetSecret], []);
        EmulatorPrincipal caller = TestEmulator.Shared.GetPrincipal(EmulatorPrincipals.NoRoles);
        RoleDefinitionsClient definitions = owner.GetRoleDefinitionsClient();
        RoleDefinition read = (await definitions.GetAsync(groupId, role))!;

        RequestFailedException outside = await Assert.ThrowsExactlyAsync<RequestFailedException>(() =>
            owner.GetRoleAssignmentsClient().CreateAsync($"/subscriptions/{TestEmulator.Shared.SubscriptionId}", role,
                caller.ObjectId));
        RequestFailedException duplicate = await Assert.ThrowsExactlyAsync<RequestFailedException>(() =>
            definitions.CreateOrUpdateCustomAsync(groupId, Guid.NewGuid(), read.RoleName, "again", [groupId], [],
                [GetSecret]));

        Assert.AreEqual("CustomRole", read.Type);
        CollectionAssert.AreEqual(new[] { GetSecret }, read.DataActions.ToArray());
        Assert.AreEqual("RoleDefinitionDoesNotExist", outside.ErrorCode);
        Assert.AreEqual(409, duplicate.Status);
        Assert.AreEqual("RoleDefinitionWithSameNameExists", duplicate.ErrorCode);
    }

    private static async Task<VaultProperties> RbacVaultAsync(string prefix,
        IReadOnlyList<VaultAccessPolicy> policies) =>
        await owner.GetVaultsClient().CreateOrUpdateAsync(ResourceGroup, TestEmulator.UniqueName(prefix),
            new VaultDefinition("westus2", TestEmulator.Shared.TenantId, policies) { EnableRbacAuthorization = true });

    private static async Task<Guid> CustomRoleAsync(string name, IReadOnlyList<string> dataActions,
        IReadOnlyList<string> notDataActions)
    {
        Guid id = Guid.NewGuid();
        RoleDefinition created = await owner.GetRoleDefinitionsClient().CreateOrUpdateCustomAsync(groupId, id,
            $"test {name} {id:N}", "A test role.", [groupId], [],
            dataActions, notDataActions);
        Assert.AreEqual(id, created.Name);
        return id;
    }
}
