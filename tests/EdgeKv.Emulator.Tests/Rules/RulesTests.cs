using EdgeKv.Emulator.Arm.Handlers;
using EdgeKv.Emulator.Authorization;

namespace EdgeKv.Emulator.Tests.Rules;

[TestClass]
public sealed class RulesTests
{
    [TestMethod]
    [DataRow("abc", true)]
    [DataRow("kv-edge-01", true)]
    [DataRow("A1b2C3", true)]
    [DataRow("abcdefghijklmnopqrstuvwx", true)]
    [DataRow("ab", false)]
    [DataRow("abcdefghijklmnopqrstuvwxy", false)]
    [DataRow("1abc", false)]
    [DataRow("-abc", false)]
    [DataRow("abc-", false)]
    [DataRow("ab--c", false)]
    [DataRow("ab_c", false)]
    [DataRow("ab.c", false)]
    public void VaultName_FollowsKeyVaultRules(string name, bool valid) => Assert.AreEqual(valid,
        VaultRules.IsValidName(name));

    [TestMethod]
    [DataRow("/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv", "/subscriptions/s", true)]
    [DataRow("/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv",
        "/subscriptions/S/resourcegroups/RG", true)]
    [DataRow("/subscriptions/s/resourceGroups/rg2/providers/Microsoft.KeyVault/vaults/kv",
        "/subscriptions/s/resourceGroups/rg", false)]
    [DataRow("/subscriptions/s", "/subscriptions/s/resourceGroups/rg", false)]
    public void ScopePath_IsAtOrBelow_OnSegmentBoundaries(string id, string scope,
        bool expected) => Assert.AreEqual(expected, ScopePath.IsAtOrBelow(id, scope));

    [TestMethod]
    public void BuiltInRoles_AllowWhatAzureAllows()
    {
        Assert.IsTrue(BuiltInRoles.Owner.Allows("Microsoft.Authorization/locks/write"));
        Assert.IsTrue(BuiltInRoles.Contributor.Allows("Microsoft.KeyVault/vaults/write"));
        Assert.IsFalse(BuiltInRoles.Contributor.Allows("Microsoft.Authorization/roleAssignments/write"));
        Assert.IsTrue(BuiltInRoles.Reader.Allows("Microsoft.KeyVault/vaults/read"));
        Assert.IsFalse(BuiltInRoles.Reader.Allows("Microsoft.KeyVault/vaults/write"));
        Assert.IsTrue(BuiltInRoles.KeyVaultContributor.Allows("Microsoft.KeyVault/vaults/accessPolicies/write"));
        Assert.IsFalse(BuiltInRoles.KeyVaultContributor.Allows("Microsoft.KeyVault/locations/deletedVaults/purge/action"));
        Assert.IsFalse(BuiltInRoles.KeyVaultContributor.Allows("Microsoft.Storage/storageAccounts/write"));
        Assert.AreEqual(BuiltInRoles.Reader,
            BuiltInRoles.FindByDefinitionId("/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7"));
    }
}
