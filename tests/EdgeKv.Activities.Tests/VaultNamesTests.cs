using EdgeKv.Activities.Activation;

namespace EdgeKv.Activities.Tests;

[TestClass]
public sealed class VaultNamesTests
{
    [TestMethod]
    [DataRow("kv1", true)]
    [DataRow("my-vault-24-characters-x", true)]
    [DataRow("ab", false)]
    [DataRow("my-vault-25-characters-xx", false)]
    [DataRow("1vault", false)]
    [DataRow("vault-", false)]
    [DataRow("va--ult", false)]
    [DataRow("va_ult", false)]
    public void Azure_rules_decide_validity(string name, bool valid) => Assert.AreEqual(valid,
        VaultNames.IsValid(name));

    [TestMethod]
    [DataRow("ase1")]
    [DataRow("9-Seattle_Edge.Device-with-a-very-long-name")]
    [DataRow("---")]
    public void The_default_name_is_always_valid_and_stable(string resourceName)
    {
        string id = $"/subscriptions/s/resourceGroups/rg/providers/Microsoft.DataBoxEdge/dataBoxEdgeDevices/{resourceName}";
        string name = VaultNames.DefaultFor(resourceName, id);
        Assert.IsTrue(VaultNames.IsValid(name), name);
        Assert.AreEqual(name, VaultNames.DefaultFor(resourceName, id.ToUpperInvariant()));
        Assert.AreNotEqual(name, VaultNames.DefaultFor(resourceName, id + "x"),
            "two resources of one name in different groups get different vaults");
    }

    [TestMethod]
    public void The_audit_storage_name_follows_the_storage_rules()
    {
        string name = AuditStorageNames.For("/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv1");
        StringAssert.Matches(name, new System.Text.RegularExpressions.Regex("^[a-z0-9]{3,24}$"));
    }
}
