using EdgeKv.Functions.Security;
using EdgeKv.Records;
using EdgeKv.Records.Security;

namespace EdgeKv.Functions.Tests;

/// <summary>
/// Scopes that name a subscription: a subscription covers the resources whose ARM id is in it and contains its groups;
/// a subscription-qualified group covers that group of that subscription only; nothing contains a scope above itself.
/// </summary>
[TestClass]
public sealed class SubscriptionScopeTests
{
    private const string S1 = "00000000-0000-4000-8000-0000000000a1";
    private const string S2 = "00000000-0000-4000-8000-0000000000a2";

    private static ResourceRecord Resource(string name, string subscription, string group) => new()
    {
        Name = name,
        ResourceGroup = group,
        Location = "westus2",
        ResourceId = $"/subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.DataBoxEdge/dataBoxEdgeDevices/{name}",
    };

    [TestMethod]
    public void Subscription_scopes_are_valid_only_in_their_two_shapes()
    {
        Assert.IsTrue(RoleAssignment.IsValidScope($"/subscriptions/{S1}"));
        Assert.IsTrue(RoleAssignment.IsValidScope($"/subscriptions/{S1}/resourceGroups/g1"));
        Assert.IsFalse(RoleAssignment.IsValidScope("/subscriptions/not-a-guid"));
        Assert.IsFalse(RoleAssignment.IsValidScope($"/subscriptions/{S1}/"));
        Assert.IsFalse(RoleAssignment.IsValidScope($"/subscriptions/{S1}/resourceGroups"));
        Assert.IsFalse(RoleAssignment.IsValidScope($"/subscriptions/{S1}/resourceGroups/g1/providers/x"));
        Assert.AreEqual("g1", RoleAssignment.ResourceGroupOf($"/subscriptions/{S1}/resourceGroups/g1"));
        Assert.IsNull(RoleAssignment.ResourceGroupOf($"/subscriptions/{S1}"));
        Assert.AreEqual(S1, RoleAssignment.SubscriptionOf($"/subscriptions/{S1}/resourceGroups/g1"));
    }

    [TestMethod]
    public void A_subscription_covers_its_resources_and_a_qualified_group_only_its_own()
    {
        ResourceRecord a = Resource("ase-a", S1, "g1");
        ResourceRecord b = Resource("ase-b", S2, "g1");
        Assert.IsTrue(RoleAssignment.ScopeCovers($"/subscriptions/{S1}", a));
        Assert.IsFalse(RoleAssignment.ScopeCovers($"/subscriptions/{S1}", b));
        Assert.IsTrue(RoleAssignment.ScopeCovers($"/subscriptions/{S1.ToUpperInvariant()}/resourceGroups/G1", a),
            "ids compare without case, as Azure's do");
        Assert.IsFalse(RoleAssignment.ScopeCovers($"/subscriptions/{S1}/resourceGroups/g1", b),
            "the same group name in another subscription");
        Assert.IsFalse(RoleAssignment.ScopeCovers($"/subscriptions/{S1}/resourceGroups/g2", a));
        Assert.IsTrue(RoleAssignment.ScopeCovers("/resourceGroups/g1",
            a) && RoleAssignment.ScopeCovers("/resourceGroups/g1", b),
            "a group without its subscription: every group of that name");
        Assert.IsFalse(RoleAssignment.ScopeCovers($"/subscriptions/{S1}", null),
            "only the service scope covers what is tied to no resource");
    }

    [TestMethod]
    public void Containment_goes_down_never_up()
    {
        string sub = $"/subscriptions/{S1}";
        string group = $"/subscriptions/{S1}/resourceGroups/g1";
        Assert.IsTrue(RoleAssignment.ScopeContains("/", sub));
        Assert.IsTrue(RoleAssignment.ScopeContains(sub, group));
        Assert.IsTrue(RoleAssignment.ScopeContains("/resourceGroups/g1", group));
        Assert.IsFalse(RoleAssignment.ScopeContains(group, sub));
        Assert.IsFalse(RoleAssignment.ScopeContains(sub, "/"));
        Assert.IsFalse(RoleAssignment.ScopeContains(sub, "/resourceGroups/g1"),
            "an unqualified group may reach other subscriptions");
        Assert.IsFalse(RoleAssignment.ScopeContains(group, "/resourceGroups/g1"));
        Assert.IsFalse(RoleAssignment.ScopeContains(sub, $"/subscriptions/{S2}/resourceGroups/g1"));
        Assert.IsFalse(RoleAssignment.ScopeContains(sub, "/resources/ase-a"),
            "a resource's place is in its record, not its scope");
    }

    [TestMethod]
    public void A_record_reads_its_subscription_from_its_id()
    {
        Assert.AreEqual(S2, Resource("ase-b", S2, "g1").SubscriptionId);
        Assert.IsNull(ResourceRecord.SubscriptionOf("/resourceGroups/g1"));
        Assert.IsNull(ResourceRecord.SubscriptionOf(null));
        Assert.AreEqual(S1, ResourceRecord.SubscriptionOf($"/subscriptions/{S1}"));
    }
}
