using EdgeKv.Records;
using EdgeKv.Tests.Support;

namespace EdgeKv.Records.Tests;

/// <summary>
/// What every home of <see cref="ResourceStore"/> must do, run on SQLite (<see
/// cref="SqliteResourceStoreContractTests"/>) and on Table storage in Azurite (<see
/// cref="TableResourceStoreContractTests"/>). <see cref="OpenStore"/> opens another instance on the same test's store,
/// as a second host would.
/// </summary>
public abstract class ResourceStoreContract
{
    protected abstract ResourceStore OpenStore(TimeProvider time);

    private static ResourceRecord Sample(string name = "ase1") => new()
    {
        Name = name, ResourceId = $"/subscriptions/s/resourceGroups/rg/providers/Microsoft.DataBoxEdge/dataBoxEdgeDevices/{name}", ResourceGroup = "rg", Location = "westus2",
    };

    [TestMethod]
    public async Task A_device_credential_is_found_by_its_hash_and_follows_rotation()
    {
        using ResourceStore store = OpenStore(TimeProvider.System);
        Assert.IsTrue(await store.TryAddAsync(Sample("ase1") with { DeviceCredentialHash = "aa11" }));
        Assert.IsTrue(await store.TryAddAsync(Sample("ase2")));

        Assert.AreEqual("ase1", (await store.FindByDeviceCredentialHashAsync("aa11"))?.Name);
        Assert.IsNull(await store.FindByDeviceCredentialHashAsync("bb22"));

        await store.UpdateAsync("ase1", r => r with { PendingDeviceCredentialHash = "bb22" });
        Assert.AreEqual("ase1", (await store.FindByDeviceCredentialHashAsync("aa11"))?.Name,
            "the current one, while a rotation is pending");
        Assert.AreEqual("ase1", (await store.FindByDeviceCredentialHashAsync("bb22"))?.Name, "and the pending one");

        await store.UpdateAsync("ase1",
            r => r with { DeviceCredentialHash = "bb22", PendingDeviceCredentialHash = null });
        Assert.IsNull(await store.FindByDeviceCredentialHashAsync("aa11"), "the old credential no longer signs in");
        Assert.AreEqual("ase1", (await store.FindByDeviceCredentialHashAsync("bb22"))?.Name);
    }

    [TestMethod]
    public async Task A_vault_id_finds_its_resource_in_any_case()
    {
        using ResourceStore store = OpenStore(TimeProvider.System);
        Assert.IsTrue(await store.TryAddAsync(Sample("ase1") with { VaultId = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv1" }));
        Assert.IsTrue(await store.TryAddAsync(Sample("ase2")));

        Assert.AreEqual("ase1",
            (await store.FindByVaultIdAsync("/SUBSCRIPTIONS/s/resourcegroups/RG/providers/microsoft.keyvault/vaults/KV1"))?.Name);
        Assert.IsNull(await store.FindByVaultIdAsync("/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/other"));
        await store.UpdateAsync("ase1",
            r => r with { VaultId = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv2" });
        Assert.IsNull(await store.FindByVaultIdAsync("/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv1"), "a recovered vault's old id no longer leads here");
        Assert.AreEqual("ase1",
            (await store.FindByVaultIdAsync("/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv2"))?.Name);
    }

    [TestMethod]
    public async Task A_record_round_trips_and_updates_keep_its_identity()
    {
        var time = new ManualTimeProvider();
        using ResourceStore store = OpenStore(time);
        Assert.IsTrue(await store.TryAddAsync(Sample()));
        Assert.IsFalse(await store.TryAddAsync(Sample()), "a name is recorded once");
        time.Advance(TimeSpan.FromMinutes(1));
        ResourceRecord? updated = await store.UpdateAsync("ASE1",
            r => r with { VaultName = "kv1", Name = "other", ActivationState = ActivationState.KeyIssued });
        Assert.AreEqual("ase1", updated!.Name, "the name cannot be changed by an update");
        ResourceRecord read = (await store.GetAsync("ase1"))!;
        Assert.AreEqual("kv1", read.VaultName);
        Assert.AreEqual(ActivationState.KeyIssued, read.ActivationState);
        Assert.AreEqual(time.GetUtcNow(), read.UpdatedAt);
        Assert.IsNull(await store.UpdateAsync("missing", r => r));
        Assert.AreEqual(1, (await store.ListPageAsync(null, 100)).Count);
    }

    [TestMethod]
    public async Task A_resource_id_is_recorded_once_under_any_name()
    {
        using ResourceStore store = OpenStore(TimeProvider.System);
        Assert.IsTrue(await store.TryAddAsync(Sample("ase1")));
        Assert.IsFalse(await store.TryAddAsync(Sample("ase2") with { ResourceId = Sample("ase1").ResourceId.ToUpperInvariant() }));
        Assert.IsNull(await store.GetAsync("ase2"));
    }

    [TestMethod]
    public async Task A_resource_from_before_vault_integration_reads_back_with_its_flag_and_no_vault()
    {
        using ResourceStore store = OpenStore(TimeProvider.System);
        await store.TryAddAsync(Sample() with { PreVaultIntegration = true });
        ResourceRecord read = (await store.GetAsync("ase1"))!;
        Assert.IsTrue(read.PreVaultIntegration);
        Assert.IsNull(read.VaultName);
        Assert.AreEqual(ActivationState.NotStarted, read.ActivationState);
    }

    [TestMethod]
    public async Task A_deleted_record_is_gone_with_its_lookups_and_its_name_can_be_used_again()
    {
        using ResourceStore store = OpenStore(TimeProvider.System);
        await store.TryAddAsync(Sample() with { DeviceCredentialHash = "aa11", VaultId = "/v/kv1" });
        Assert.IsTrue(await store.DeleteAsync("ASE1"));
        Assert.IsFalse(await store.DeleteAsync("ase1"));
        Assert.IsNull(await store.GetAsync("ase1"));
        Assert.IsNull(await store.FindByDeviceCredentialHashAsync("aa11"));
        Assert.IsNull(await store.FindByVaultIdAsync("/v/kv1"));
        Assert.IsTrue(await store.TryAddAsync(Sample() with { DeviceCredentialHash = "aa11" }));
    }

    [TestMethod]
    public async Task Pages_walk_every_record_once_in_name_order()
    {
        using ResourceStore store = OpenStore(TimeProvider.System);
        string[] names = [.. Enumerable.Range(0, 23).Select(i => $"ase-{i:D2}").OrderBy(_ => Guid.NewGuid())];
        foreach (string name in names) Assert.IsTrue(await store.TryAddAsync(Sample(name)));

        IReadOnlyList<string?> starts = await store.PageStartsAsync(5);
        Assert.HasCount(5, starts);
        Assert.IsNull(starts[0]);
        var walked = new List<string>();
        foreach (string? start in starts) walked.AddRange((await store.ListPageAsync(start, 5)).Select(r => r.Name));
        CollectionAssert.AreEqual(names.Order(StringComparer.Ordinal).ToList(), walked);
        Assert.HasCount(3, await store.ListPageAsync("ase-19", 5));
    }

    [TestMethod]
    public async Task Concurrent_updates_from_separate_stores_all_land()
    {
        using (ResourceStore setup = OpenStore(TimeProvider.System)) await setup.TryAddAsync(Sample());
        const int writers = 12;
        ResourceStore[] stores = [.. Enumerable.Range(0, writers).Select(_ => OpenStore(TimeProvider.System))];
        try
        {
            await Task.WhenAll(stores.Select((s, i) => s.UpdateAsync("ase1",
                r => r with { ActivationWarnings = [.. r.ActivationWarnings, $"w{i}"] })));
            ResourceRecord read = (await stores[0].GetAsync("ase1"))!;
            CollectionAssert.AreEquivalent(Enumerable.Range(0, writers).Select(i => $"w{i}").ToList(),
                read.ActivationWarnings.ToList(), "no host's change is lost");
        }
        finally
        {
            foreach (ResourceStore s in stores) s.Dispose();
        }
    }

    [TestMethod]
    public async Task A_conditional_change_raced_by_separate_stores_takes_effect_once()
    {
        // The shape of credential rotation and of the activation key's hand-out: change only if still as first read.
        using (ResourceStore setup = OpenStore(TimeProvider.System)) await setup.TryAddAsync(Sample() with { DeviceCredentialHash = "current" });
        const int racers = 8;
        ResourceStore[] stores = [.. Enumerable.Range(0, racers).Select(_ => OpenStore(TimeProvider.System))];
        try
        {
            bool[] won = new bool[racers];
            await Task.WhenAll(stores.Select((s, i) => s.UpdateAsync("ase1", r =>
            {
                won[i] = r.DeviceCredentialHash == "current" && r.PendingDeviceCredentialHash is null && !r.ActivationKeyDelivered;
                return won[i] ? r with { PendingDeviceCredentialHash = $"new{i}", ActivationKeyDelivered = true } : r;
            })));
            Assert.AreEqual(1, won.Count(w => w), "exactly one racer's change took effect");
            ResourceRecord read = (await stores[0].GetAsync("ase1"))!;
            Assert.AreEqual($"new{Array.IndexOf(won, true)}", read.PendingDeviceCredentialHash);
            Assert.AreEqual("ase1",
                (await stores[1].FindByDeviceCredentialHashAsync(read.PendingDeviceCredentialHash!))?.Name);
        }
        finally
        {
            foreach (ResourceStore s in stores) s.Dispose();
        }
    }
}
