using EdgeKv.Activities.Health;
using EdgeKv.Azure.Vaults;

namespace EdgeKv.Activities.Tests;

/// <summary>
/// When the sweep's per-vault reads come due: a first read is followed by one at a point of the interval set by the
/// name (the same in every process), so a fleet's reads spread over the interval; later reads an interval apart. And
/// the vault fingerprint that makes them due at once: changed by what an out-of-band change touches, not by order.
/// </summary>
[TestClass]
public sealed class SweepCheckScheduleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    [TestMethod]
    public void First_reads_spread_a_fleet_over_the_interval_and_later_reads_come_an_interval_apart()
    {
        var schedule = new SweepCheckSchedule(TimeSpan.FromHours(24));
        var firsts = Enumerable.Range(0,
            10_000).Select(i => schedule.NextDue($"ase{i:D5}", T0, first: true) - T0).ToList();

        Assert.IsTrue(firsts.All(d => d >= TimeSpan.Zero && d < TimeSpan.FromHours(24)));
        // 96 quarter-hour sweeps a day: each gets about 104 of 10,000; none gets many more.
        int busiest = firsts.GroupBy(d => (int)(d / TimeSpan.FromMinutes(15))).Max(g => g.Count());
        Assert.IsLessThan(200, busiest, $"the busiest quarter hour has {busiest} resources due");
        Assert.AreEqual(schedule.NextDue("ase00042", T0, true), schedule.NextDue("ASE00042", T0, true),
            "by name without case, the same in every process");
        Assert.AreEqual(T0 + TimeSpan.FromHours(24), schedule.NextDue("ase00042", T0, first: false));
    }

    [TestMethod]
    public void The_vault_fingerprint_changes_with_an_access_policy_or_the_permission_model_and_not_with_their_order()
    {
        Guid tenant = Guid.NewGuid();
        VaultAccessPolicy edgeKv = new(tenant, "11111111-1111-1111-1111-111111111111", ["get", "list", "set"]);
        VaultAccessPolicy device = new(tenant, "22222222-2222-2222-2222-222222222222", ["get", "set"]);
        VaultProperties vault = new("/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv", "kv",
            "rg", "westus2", tenant, "standard",
            new Uri("https://kv.vault.azure.net/"), true, 90, true, [edgeKv, device], new Dictionary<string, string>(),
            "Succeeded");

        string fingerprint = VaultFingerprint.Of(vault);

        Assert.AreEqual(fingerprint,
            VaultFingerprint.Of(vault with { AccessPolicies = [device with { Secrets = ["set", "GET"] }, edgeKv] }));
        Assert.AreNotEqual(fingerprint,
            VaultFingerprint.Of(vault with { AccessPolicies = [edgeKv, device,
                new VaultAccessPolicy(tenant, Guid.NewGuid().ToString(), ["get"])] }));
        Assert.AreNotEqual(fingerprint,
            VaultFingerprint.Of(vault with { AccessPolicies = [edgeKv, device with { Secrets = ["get"] }] }));
        Assert.AreNotEqual(fingerprint, VaultFingerprint.Of(vault with { EnableRbacAuthorization = true }));
        Assert.AreNotEqual(fingerprint,
            VaultFingerprint.Of(vault with { NetworkRules = new VaultNetworkRules("Deny", "AzureServices", []) }));
    }
}
