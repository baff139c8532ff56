namespace EdgeKv.Emulator.Tests;

/// <summary>
/// Key Vault's management API 2026-02-01 changed the default permission model: a vault created at that api-version or
/// later without <c>enableRbacAuthorization</c> is an RBAC vault (its access policies are ignored); earlier versions
/// create access-policy vaults, and an explicit value always wins. An update never changes the model of an existing
/// vault.
/// </summary>
[TestClass]
public sealed class VaultPermissionModelTests
{
    private const string Rg = "rg-permission-model";
    private static ArmHttp arm = null!;
    private static string token = null!;

    [ClassInitialize]
    public static async Task InitializeAsync(TestContext context)
    {
        arm = new ArmHttp(TestEmulator.Shared);
        token = await arm.GetTokenAsync();
        ArmReply group = await arm.PutAsync($"{arm.SubscriptionPath}/resourceGroups/{Rg}?api-version=2022-09-01", token, """{"location":"westus2"}""");
        Assert.AreEqual(201, group.Status, group.Text);
    }

    [ClassCleanup]
    public static void Cleanup() => arm.Dispose();

    [TestMethod]
    [DataRow("kv-pm-2023", "2023-07-01", null, false)]
    [DataRow("kv-pm-2025", "2025-05-01", null, false)]
    [DataRow("kv-pm-2024p", "2024-12-01-preview", null, false)]
    [DataRow("kv-pm-2026", "2026-02-01", null, true)]
    [DataRow("kv-pm-2026p", "2026-03-01-preview", null, true)]
    [DataRow("kv-pm-2026x", "2026-04-01", false, false)]
    [DataRow("kv-pm-2023x", "2023-07-01", true, true)]
    public async Task A_vault_created_without_the_property_takes_its_api_versions_default(string name,
        string apiVersion, bool? explicitValue, bool expected)
    {
        string rbac = explicitValue is { } value ? $",\"enableRbacAuthorization\":{(value ? "true" : "false")}" : string.Empty;
        string vault = $"{arm.SubscriptionPath}/resourceGroups/{Rg}/providers/Microsoft.KeyVault/vaults/{name}";
        ArmReply created = await arm.PutAsync($"{vault}?api-version={apiVersion}", token,
            $$$"""{"location":"westus2","properties":{"tenantId":"{{{TestEmulator.Shared.TenantId}}}","sku":{"family":"A","name":"standard"},"accessPolicies":[]{{{rbac}}}}}""");
        Assert.AreEqual(201, created.Status, created.Text);
        Assert.AreEqual(expected, (bool)created.Json!["properties"]!["enableRbacAuthorization"]!);

        // Updated at the newest version without the property: the model the vault was created with stays.
        ArmReply updated = await arm.PutAsync($"{vault}?api-version=2026-04-01", token,
            $$$"""{"location":"westus2","properties":{"tenantId":"{{{TestEmulator.Shared.TenantId}}}","sku":{"family":"A","name":"standard"},"accessPolicies":[]}}""");
        Assert.AreEqual(200, updated.Status, updated.Text);
        Assert.AreEqual(expected, (bool)updated.Json!["properties"]!["enableRbacAuthorization"]!);
    }
}
