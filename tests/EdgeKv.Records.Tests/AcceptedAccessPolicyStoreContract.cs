using EdgeKv.Records.AccessPolicies;

namespace EdgeKv.Records.Tests;

/// <summary>
/// The accepted access policy entries: one per resource and principal (without case), replaced when accepted again,
/// dropped with their resource, however many hosts write; run on SQLite (<see
/// cref="SqliteAcceptedAccessPolicyStoreContractTests"/>) and on Table storage in Azurite (<see
/// cref="TableAcceptedAccessPolicyStoreContractTests"/>). <see cref="OpenStore"/> opens another instance on the test's
/// store.
/// </summary>
public abstract class AcceptedAccessPolicyStoreContract
{
    private static readonly DateTimeOffset At = new(2026, 3, 1, 9, 30, 0, TimeSpan.FromHours(2));

    protected abstract AcceptedAccessPolicyStore OpenStore();

    [TestMethod]
    public async Task Accepting_an_entry_again_replaces_it_and_a_resource_lists_its_own_entries_by_principal()
    {
        AcceptedAccessPolicyStore store = OpenStore();
        await store.AcceptAsync(new AcceptedAccessPolicy("ase1", "obj-b", "secrets:get", "alice", At));
        await store.AcceptAsync(new AcceptedAccessPolicy("ase1", "obj-a", "secrets:get,list", "alice", At));
        await store.AcceptAsync(new AcceptedAccessPolicy("ase2", "obj-a", "keys:get", "bob", At));
        await store.AcceptAsync(new AcceptedAccessPolicy("ASE1", "OBJ-B", "secrets:get,set", "carol", At.AddHours(1)));

        IReadOnlyList<AcceptedAccessPolicy> listed = await store.ListAsync("Ase1");

        CollectionAssert.AreEqual(new[] { "obj-a", "obj-b" },
            listed.Select(a => a.ObjectId.ToLowerInvariant()).ToArray(), "one entry per principal, without case");
        Assert.AreEqual(new AcceptedAccessPolicy("ase1", "obj-a", "secrets:get,list", "alice", At), listed[0]);
        Assert.AreEqual("secrets:get,set", listed[1].Permissions,
            "accepted again: the later acceptance replaces the entry");
        Assert.AreEqual("carol", listed[1].AcceptedBy);
        Assert.AreEqual(At.AddHours(1), listed[1].AcceptedAt);
        Assert.AreEqual(At.Offset, listed[0].AcceptedAt.Offset, "the acceptance time comes back as written");
        Assert.HasCount(1, await store.ListAsync("ase2"));
        Assert.IsEmpty(await store.ListAsync("ase3"));
    }

    [TestMethod]
    public async Task Forgetting_a_resource_drops_its_entries_and_no_other()
    {
        AcceptedAccessPolicyStore store = OpenStore();
        await store.AcceptAsync(new AcceptedAccessPolicy("ase1", "obj-a", "secrets:get", "alice", At));
        await store.AcceptAsync(new AcceptedAccessPolicy("ase1", "obj-b", "secrets:get", "alice", At));
        await store.AcceptAsync(new AcceptedAccessPolicy("ase10", "obj-a", "secrets:get", "alice", At));

        await store.ForgetAsync("ASE1");
        await store.ForgetAsync("never-seen");

        Assert.IsEmpty(await store.ListAsync("ase1"));
        Assert.HasCount(1, await store.ListAsync("ase10"));
    }

    [TestMethod]
    public async Task Hosts_racing_to_accept_the_same_entry_leave_one_whole_entry_from_one_of_them()
    {
        const int hosts = 6;
        AcceptedAccessPolicyStore[] stores = [.. Enumerable.Range(0, hosts).Select(_ => OpenStore())];
        AcceptedAccessPolicy[] written = [.. Enumerable.Range(0,
            hosts).Select(i => new AcceptedAccessPolicy("ase1", "obj-a", $"secrets:get{i}", $"user{i}",
                At.AddMinutes(i)))];

        await Task.WhenAll(stores.Select((s, i) => s.AcceptAsync(written[i])));

        AcceptedAccessPolicy kept = (await stores[0].ListAsync("ase1")).Single();
        CollectionAssert.Contains(written, kept,
            "one host's acceptance, whole (never one host's permissions with another's name)");
    }

    [TestMethod]
    public async Task Hosts_racing_to_accept_different_principals_keep_every_entry()
    {
        const int hosts = 6;
        AcceptedAccessPolicyStore[] stores = [.. Enumerable.Range(0, hosts).Select(_ => OpenStore())];

        await Task.WhenAll(stores.Select((s,
            i) => s.AcceptAsync(new AcceptedAccessPolicy("ase1", $"obj-{i}", "secrets:get", "alice", At))));

        CollectionAssert.AreEqual(Enumerable.Range(0, hosts).Select(i => $"obj-{i}").ToArray(),
            (await stores[hosts - 1].ListAsync("ase1")).Select(a => a.ObjectId).ToArray());
    }
}
