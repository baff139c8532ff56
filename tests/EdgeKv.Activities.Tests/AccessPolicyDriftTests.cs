using EdgeKv.Activities.Health;
using EdgeKv.Azure.Vaults;
using EdgeKv.Records.AccessPolicies;
using EdgeKv.Records.Alerts;

namespace EdgeKv.Activities.Tests;

[TestClass]
public sealed class AccessPolicyDriftTests
{
    private static readonly Guid Service = Guid.Parse("0b1d0c1a-0000-4000-8000-000000000001");
    private static readonly Guid Identity = Guid.Parse("11111111-0000-4000-8000-000000000001");
    private static readonly Guid Stranger = Guid.Parse("22222222-0000-4000-8000-000000000001");
    private static readonly Guid Tenant = Guid.Parse("72f988bf-0000-4000-8000-00000000e001");

    private static VaultAccessPolicy Policy(Guid who, params string[] secrets) => new(Tenant, who.ToString(), secrets,
        [], [], []);

    private static AcceptedAccessPolicy Accepted(VaultAccessPolicy policy) =>
        new("ase1", policy.ObjectId, AccessPolicyDrift.Fingerprint(policy), "security-team", DateTimeOffset.UnixEpoch);

    [TestMethod]
    public void EdgeKvs_own_grants_are_not_drift()
    {
        Assert.IsFalse(AccessPolicyDrift.Review(Policy(Service, "get", "list", "set", "delete", "recover"), Service,
            Identity, []).Flagged);
        Assert.IsFalse(AccessPolicyDrift.Review(Policy(Identity, "set", "get"), Service, Identity, []).Flagged);
    }

    [TestMethod]
    public void An_unknown_principal_or_a_widened_identity_is_drift()
    {
        Assert.IsTrue(AccessPolicyDrift.Review(Policy(Stranger, "get"), Service, Identity, []).Flagged);
        Assert.IsTrue(AccessPolicyDrift.Review(Policy(Identity, "get", "set", "delete"), Service, Identity,
            []).Flagged);
        Assert.IsTrue(AccessPolicyDrift.Review(new VaultAccessPolicy(Tenant, Service.ToString(), ["get"], ["sign"]),
            Service, Identity, []).Flagged, "keys EdgeKv never asked for");
    }

    [TestMethod]
    public void An_accepted_entry_is_not_drift_until_its_permissions_widen()
    {
        VaultAccessPolicy accepted = Policy(Stranger, "list", "get");

        AccessPolicyFinding same = AccessPolicyDrift.Review(Policy(Stranger, "GET", "list"), Service, Identity,
            [Accepted(accepted)]);
        AccessPolicyFinding widened = AccessPolicyDrift.Review(Policy(Stranger, "get", "list", "set"), Service,
            Identity, [Accepted(accepted)]);

        Assert.IsFalse(same.Flagged, "order and case do not matter");
        Assert.IsNotNull(same.Accepted);
        Assert.IsTrue(widened.Flagged);
    }

    [TestMethod]
    public void Each_flagged_principal_has_an_alert_of_its_own_and_none_when_nothing_drifts()
    {
        AccessPolicyFinding[] findings =
        [
            AccessPolicyDrift.Review(Policy(Service, "get", "list", "set", "delete", "recover"), Service, Identity, []),
            AccessPolicyDrift.Review(Policy(Stranger, "get"), Service, Identity, []),
            AccessPolicyDrift.Review(Policy(Identity, "get", "set", "purge"), Service, Identity, []),
        ];

        IReadOnlyList<AlertObservation> alerts = AccessPolicyDrift.Observe("ase1", "kv1", findings);

        Assert.HasCount(2, alerts);
        Assert.IsTrue(alerts.All(a => a.Kind == AlertKind.AccessPolicyNotGrantedByEdgeKv && a.Resource == "ase1"));
        CollectionAssert.AreEquivalent(new[] { Stranger.ToString(), Identity.ToString() },
            alerts.Select(a => a.Principal).ToArray());
        StringAssert.Contains(alerts.Single(a => a.Principal == Stranger.ToString()).Finding, Stranger.ToString());
        Assert.IsEmpty(AccessPolicyDrift.Observe("ase1", "kv1", [findings[0]]));
    }
}
