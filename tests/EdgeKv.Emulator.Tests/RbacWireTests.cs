using System.Text.Json.Nodes;

namespace EdgeKv.Emulator.Tests;

/// <summary>
/// Azure RBAC on the Key Vault data plane, on the wire: a vault created at 2026-02-01 without the property is an RBAC
/// vault; a caller without a data role gets Key Vault's 403 envelope (<c>Forbidden</c>, inner <c>ForbiddenByRbac</c>,
/// the caller, action, resource and vault in the message); a custom role written through Microsoft.Authorization grants
/// its data actions less its not-data-actions; writing a role needs the right on its assignable scopes.
/// </summary>
[TestClass]
public sealed class RbacWireTests
{
    private const string Rg = "rg-rbac-wire";
    private static ArmHttp arm = null!;
    private static string token = null!;
    private static string vaultToken = null!;

    [ClassInitialize]
    public static async Task InitializeAsync(TestContext context)
    {
        arm = new ArmHttp(TestEmulator.Shared);
        token = await arm.GetTokenAsync();
        vaultToken = await arm.GetTokenAsync(scope: "https://vault.azure.net/.default");
        Assert.AreEqual(201, (await arm.PutAsync($"{arm.SubscriptionPath}/resourceGroups/{Rg}?api-version=2025-04-01", token, """{"location":"westus2"}""")).Status);
    }

    [ClassCleanup]
    public static void Cleanup() => arm.Dispose();

    [TestMethod]
    public async Task A_data_action_without_a_role_is_ForbiddenByRbac_and_a_custom_role_grants_all_but_its_not_data_actions()
    {
        string group = $"{arm.SubscriptionPath}/resourceGroups/{Rg}";
        ArmReply vault = await arm.PutAsync($"{group}/providers/Microsoft.KeyVault/vaults/kv-rbac-wire?api-version=2026-02-01", token,
            $$$$"""{"location":"westus2","properties":{"tenantId":"{{{{TestEmulator.Shared.TenantId}}}}","sku":{"family":"A","name":"standard"},"accessPolicies":[]}}""");
        Assert.AreEqual(201, vault.Status, vault.Text);
        Assert.IsTrue((bool)vault.Json!["properties"]!["enableRbacAuthorization"]!);
        string vaultId = (string)vault.Json["id"]!;
        Guid self = TestEmulator.Shared.GetPrincipal(EmulatorPrincipals.EdgeKvService).ObjectId;

        ArmReply refused = await arm.PutAsync("/vaults/kv-rbac-wire/secrets/s1?api-version=7.6", vaultToken, """{"value":"v1"}""");

        Assert.AreEqual(403, refused.Status, refused.Text);
        Assert.AreEqual("Forbidden", refused.ErrorCode);
        Assert.AreEqual("ForbiddenByRbac", (string?)refused.Json!["error"]!["innererror"]!["code"]);
        StringAssert.StartsWith(refused.ErrorMessage, "Caller is not authorized to perform action on resource.");
        StringAssert.Contains(refused.ErrorMessage, $"oid={self}");
        StringAssert.Contains(refused.ErrorMessage, "Action: 'Microsoft.KeyVault/vaults/secrets/setSecret/action'");
        StringAssert.Contains(refused.ErrorMessage, $"Resource: '{vaultId.ToLowerInvariant()}/secrets/s1'");
        StringAssert.Contains(refused.ErrorMessage, "Vault: kv-rbac-wire;location=westus2");

        Guid roleId = Guid.NewGuid();
        ArmReply role = await arm.PutAsync($"{group}/providers/Microsoft.Authorization/roleDefinitions/{roleId}?api-version=2022-04-01", token,
            $$$"""{"properties":{"roleName":"wire secrets no purge {{{roleId:N}}}","type":"CustomRole","assignableScopes":["{{{group}}}"],"permissions":[{"actions":[],"dataActions":["Microsoft.KeyVault/vaults/secrets/*"],"notDataActions":["Microsoft.KeyVault/vaults/secrets/purge/action"]}]}}""");
        Assert.AreEqual(201, role.Status, role.Text);
        Assert.AreEqual("CustomRole", (string?)role.Json!["properties"]!["type"]);
        Assert.AreEqual($"{arm.SubscriptionPath}/providers/Microsoft.Authorization/roleDefinitions/{roleId}",
            (string?)role.Json["id"]);
        ArmReply assigned = await arm.PutAsync($"{vaultId}/providers/Microsoft.Authorization/roleAssignments/{Guid.NewGuid()}?api-version=2022-04-01", token,
            $$$"""{"properties":{"roleDefinitionId":"{{{arm.SubscriptionPath}}}/providers/Microsoft.Authorization/roleDefinitions/{{{roleId}}}","principalId":"{{{self}}}"}}""");
        Assert.AreEqual(201, assigned.Status, assigned.Text);

        Assert.AreEqual(200, (await arm.PutAsync("/vaults/kv-rbac-wire/secrets/s1?api-version=7.6", vaultToken, """{"value":"v1"}""")).Status);
        Assert.AreEqual("v1", (string?)(await arm.GetAsync("/vaults/kv-rbac-wire/secrets/s1?api-version=7.6",
            vaultToken)).Json!["value"]);
        Assert.AreEqual(200, (await arm.SendAsync(HttpMethod.Delete, "/vaults/kv-rbac-wire/secrets/s1?api-version=7.6",
            vaultToken)).Status);
        ArmReply purge = await arm.SendAsync(HttpMethod.Delete,
            "/vaults/kv-rbac-wire/deletedsecrets/s1?api-version=7.6", vaultToken);
        Assert.AreEqual(403, purge.Status, purge.Text);
        StringAssert.Contains(purge.ErrorMessage, "Action: 'Microsoft.KeyVault/vaults/secrets/purge/action'");
    }

    [TestMethod]
    public async Task Writing_a_custom_role_needs_roleDefinitions_write_and_a_built_in_role_cannot_be_written()
    {
        string group = $"{arm.SubscriptionPath}/resourceGroups/{Rg}";
        string readerToken = await arm.GetTokenAsync(EmulatorPrincipals.Reader);
        string body = $$$"""{"properties":{"roleName":"wire reader attempt","type":"CustomRole","assignableScopes":["{{{group}}}"],"permissions":[{"actions":[],"dataActions":["Microsoft.KeyVault/vaults/secrets/*"]}]}}""";

        ArmReply byReader = await arm.PutAsync($"{group}/providers/Microsoft.Authorization/roleDefinitions/{Guid.NewGuid()}?api-version=2022-04-01", readerToken, body);
        ArmReply builtIn = await arm.PutAsync($"{group}/providers/Microsoft.Authorization/roleDefinitions/b86a8fe4-44ce-4948-aee5-eccb2c155cd7?api-version=2022-04-01", token, body);
        ArmReply listed = await arm.GetAsync($"{group}/providers/Microsoft.Authorization/roleDefinitions?api-version=2022-04-01&$filter=roleName%20eq%20'Key%20Vault%20Secrets%20User'", token);

        Assert.AreEqual(403, byReader.Status);
        Assert.AreEqual("AuthorizationFailed", byReader.ErrorCode);
        Assert.AreEqual(403, builtIn.Status);
        JsonNode secretsUser = listed.Json!["value"]!.AsArray().Single()!;
        Assert.AreEqual("4633458b-17de-408a-b874-0445c86b69e6", (string?)secretsUser["name"]);
        CollectionAssert.AreEquivalent(new[] { "Microsoft.KeyVault/vaults/secrets/getSecret/action",
            "Microsoft.KeyVault/vaults/secrets/readMetadata/action" },
            secretsUser["properties"]!["permissions"]![0]!["dataActions"]!.AsArray().Select(a => (string)a!).ToArray());
    }
}
