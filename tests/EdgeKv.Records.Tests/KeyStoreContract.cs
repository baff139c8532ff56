using EdgeKv.Records.Keys;
using EdgeKv.Tests.Support;

namespace EdgeKv.Records.Tests;

/// <summary>
/// The key store: keys and their versions, KMS providers and distributions, names without case, deletions refused while
/// something depends on them, however many hosts write; run on SQLite (<see cref="SqliteKeyStoreContractTests"/>) and
/// on Table storage in Azurite (<see cref="TableKeyStoreContractTests"/>). <see cref="OpenStore"/> opens another
/// instance on the test's store, under one key-encryption key every instance shares.
/// </summary>
public abstract class KeyStoreContract
{
    protected abstract KeyStore OpenStore();

    [TestMethod]
    public async Task Keys_are_created_once_by_name_without_case_listed_in_name_order_and_updated_keeping_name_type_and_versions()
    {
        using KeyStore store = OpenStore();
        foreach (string name in new[] { "k-c", "k-a", "k-b" }) Assert.IsTrue(await CreateAsync(store, name,
            ManagedKeyTypes.Aes256Gcm96));

        Assert.IsFalse(await CreateAsync(store, "K-A", ManagedKeyTypes.EcdsaP256), "the name is taken");
        Assert.AreEqual(ManagedKeyTypes.Aes256Gcm96, (await store.GetKeyAsync("K-a"))!.Type);
        CollectionAssert.AreEqual(new[] { "k-a", "k-b" },
            (await store.ListKeysAsync(null, 2)).Select(k => k.Name).ToArray());
        CollectionAssert.AreEqual(new[] { "k-c" }, (await store.ListKeysAsync("k-b", 2)).Select(k => k.Name).ToArray());
        KeyRecord updated = (await store.UpdateKeyAsync("k-b",
            k => k with { Name = "renamed", Type = "x", DeletionAllowed = true, MinEnabledVersion = 1 }))!;
        Assert.AreEqual("k-b", updated.Name);
        Assert.AreEqual(ManagedKeyTypes.Aes256Gcm96, updated.Type);
        Assert.IsTrue((await store.GetKeyAsync("k-b"))!.DeletionAllowed);
        Assert.IsNull(await store.UpdateKeyAsync("missing", k => k));
    }

    [TestMethod]
    public async Task A_version_is_added_once_after_the_latest_and_each_version_reads_back_its_own_material()
    {
        using KeyStore store = OpenStore();
        byte[] first = KeyMaterial.Generate(ManagedKeyTypes.EcdsaP256);
        await store.TryCreateKeyAsync(Key("ec-1", ManagedKeyTypes.EcdsaP256, first), first);
        byte[]? second = null;

        KeyRecord added = (await store.AddVersionAsync("ec-1", 2, type => second = KeyMaterial.Generate(type)))!;
        KeyRecord again = (await store.AddVersionAsync("EC-1", 2,
            _ => throw new AssertFailedException("not generated again")))!;

        Assert.AreEqual(2, again.LatestVersion);
        Assert.HasCount(2, again.Versions);
        Assert.AreEqual(added.Versions[1].PublicKeyPem, again.Versions[1].PublicKeyPem);
        CollectionAssert.AreEqual(first, await store.ReadMaterialAsync("ec-1", 1));
        Assert.AreEqual(again.Versions[1].PublicKeyPem,
            KeyMaterial.PublicKeyPem(ManagedKeyTypes.EcdsaP256, (await store.ReadMaterialAsync("ec-1", 2))!));
        Assert.IsNull(await store.ReadMaterialAsync("ec-1", 3));
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.AddVersionAsync("ec-1", 4,
            KeyMaterial.Generate));
        Assert.IsNull(await store.AddVersionAsync("missing", 2, KeyMaterial.Generate));
    }

    [TestMethod]
    public async Task A_key_is_deleted_only_when_allowed_and_distributed_nowhere_and_a_provider_only_when_unused()
    {
        using KeyStore store = OpenStore();
        byte[] material = KeyMaterial.Generate(ManagedKeyTypes.EcdsaP256);
        await store.TryCreateKeyAsync(Key("ec-1", ManagedKeyTypes.EcdsaP256, material), material);
        await store.PutProviderAsync(new KmsProviderRecord { Name = "kv", KeyCollection = "kv-one" },
            new KmsCredentials("id", "secret-value-1", "tenant"));
        await store.UpsertDistributionAsync("kv", "ec-1", _ => Distribution("kv", "ec-1"));

        Assert.AreEqual(KeyDeletionOutcome.NotAllowed, (await store.DeleteKeyAsync("ec-1")).Outcome);
        await store.UpdateKeyAsync("ec-1", k => k with { DeletionAllowed = true });
        KeyDeletion blocked = await store.DeleteKeyAsync("ec-1");
        Assert.AreEqual(KeyDeletionOutcome.Distributed, blocked.Outcome);
        CollectionAssert.AreEqual(new[] { "kv" }, blocked.Providers.ToArray());
        CollectionAssert.AreEqual(new[] { "ec-1" }, (await store.DeleteProviderAsync("kv")).BlockingKeys.ToArray());

        Assert.IsTrue(await store.DeleteDistributionAsync("kv", "ec-1"));
        Assert.IsFalse(await store.DeleteDistributionAsync("kv", "ec-1"));
        Assert.AreEqual(KeyDeletionOutcome.Deleted, (await store.DeleteKeyAsync("ec-1")).Outcome);
        Assert.AreEqual(KeyDeletionOutcome.NotFound, (await store.DeleteKeyAsync("ec-1")).Outcome);
        Assert.IsNull(await store.ReadMaterialAsync("ec-1", 1));
        Assert.AreEqual((true, 0),
            ((await store.DeleteProviderAsync("kv")).Found, (await store.GetProviderAsync("kv")) is null ? 0 : 1));
        Assert.IsFalse((await store.DeleteProviderAsync("kv")).Found);
    }

    [TestMethod]
    public async Task A_key_created_again_after_its_deletion_reads_only_its_own_versions()
    {
        using KeyStore store = OpenStore();
        await CreateAsync(store, "again", ManagedKeyTypes.EcdsaP256);
        await store.AddVersionAsync("again", 2, KeyMaterial.Generate);
        await store.UpdateKeyAsync("again", k => k with { DeletionAllowed = true });
        Assert.AreEqual(KeyDeletionOutcome.Deleted, (await store.DeleteKeyAsync("again")).Outcome);
        byte[] fresh = KeyMaterial.Generate(ManagedKeyTypes.EcdsaP256);

        Assert.IsTrue(await store.TryCreateKeyAsync(Key("again", ManagedKeyTypes.EcdsaP256, fresh), fresh));

        CollectionAssert.AreEqual(fresh, await store.ReadMaterialAsync("again", 1));
        Assert.IsNull(await store.ReadMaterialAsync("again", 2), "the deleted key's version 2 is gone");
        KeyRecord added = (await store.AddVersionAsync("again", 2, KeyMaterial.Generate))!;
        Assert.AreEqual(added.Versions[1].PublicKeyPem,
            KeyMaterial.PublicKeyPem(ManagedKeyTypes.EcdsaP256, (await store.ReadMaterialAsync("again", 2))!));
    }

    [TestMethod]
    public async Task A_provider_keeps_its_credentials_when_none_are_given_and_its_key_collection_while_keys_are_distributed_to_it()
    {
        using KeyStore store = OpenStore();
        var (created, isNew, _) = await store.PutProviderAsync(new KmsProviderRecord { Name = "kv-b",
            KeyCollection = "vault-1" }, new KmsCredentials("id", "secret-1", "tenant"));
        await store.PutProviderAsync(new KmsProviderRecord { Name = "kv-a", KeyCollection = "vault-0" }, null);
        var (updated, isNewAgain,
            _) = await store.PutProviderAsync(new KmsProviderRecord { Name = "KV-B", KeyCollection = "vault-2" }, null);

        Assert.IsTrue(isNew);
        Assert.IsTrue(created.HasCredentials);
        Assert.IsFalse(isNewAgain);
        Assert.AreEqual("vault-2", updated.KeyCollection);
        Assert.IsTrue(updated.HasCredentials);
        Assert.AreEqual("secret-1", (await store.ReadCredentialsAsync("kv-b"))!.ClientSecret);
        Assert.IsNull(await store.ReadCredentialsAsync("kv-a"));
        CollectionAssert.AreEqual(new[] { "kv-a", "kv-b" },
            (await store.ListProvidersAsync(null, 10)).Select(p => p.Name).ToArray());
        CollectionAssert.AreEqual(new[] { "kv-b" },
            (await store.ListProvidersAsync("kv-a", 10)).Select(p => p.Name).ToArray());

        byte[] material = KeyMaterial.Generate(ManagedKeyTypes.EcdsaP256);
        await store.TryCreateKeyAsync(Key("ec-1", ManagedKeyTypes.EcdsaP256, material), material);
        await store.UpsertDistributionAsync("kv-b", "ec-1", _ => Distribution("kv-b", "ec-1"));
        var (kept, _, blocking) = await store.PutProviderAsync(new KmsProviderRecord { Name = "kv-b",
            KeyCollection = "vault-3" }, new KmsCredentials("id", "secret-2", "tenant"));
        Assert.AreEqual("vault-2", kept.KeyCollection);
        CollectionAssert.AreEqual(new[] { "ec-1" }, blocking.ToArray());
        Assert.AreEqual("secret-1", (await store.ReadCredentialsAsync("kv-b"))!.ClientSecret,
            "a refused change changes nothing");
    }

    [TestMethod]
    public async Task Distributions_need_their_key_and_provider_and_list_by_provider_by_key_and_in_provider_key_order()
    {
        using KeyStore store = OpenStore();
        foreach (string key in new[] { "k1", "k2" }) await CreateAsync(store, key, ManagedKeyTypes.EcdsaP256);
        foreach (string kms in new[] { "p1", "p2" }) await store.PutProviderAsync(new KmsProviderRecord { Name = kms,
            KeyCollection = kms + "-vault" }, null);
        Assert.IsNull(await store.UpsertDistributionAsync("p1", "missing", _ => Distribution("p1", "missing")));
        Assert.IsNull(await store.UpsertDistributionAsync("missing", "k1", _ => Distribution("missing", "k1")));
        foreach (string kms in new[] { "p2", "p1" })
        {
            foreach (string key in new[] { "k2", "k1" }) await store.UpsertDistributionAsync(kms, key,
                _ => Distribution(kms, key));
        }

        KeyDistributionRecord changed = (await store.UpdateDistributionAsync("P1", "K2",
            d => d with { State = DistributionState.Distributed, KmsName = "other" }))!;

        Assert.AreEqual(("p1", "k2", DistributionState.Distributed), (changed.KmsName, changed.KeyName, changed.State));
        Assert.AreEqual(DistributionState.Distributed, (await store.GetDistributionAsync("p1", "k2"))!.State);
        Assert.IsNull(await store.UpdateDistributionAsync("p1", "k3", d => d));
        CollectionAssert.AreEqual(new[] { "k2" },
            (await store.ListDistributionsOfProviderAsync("p1", "k1", 10)).Select(d => d.KeyName).ToArray());
        CollectionAssert.AreEqual(new[] { "p1", "p2" },
            (await store.ListDistributionsOfKeyAsync("K1")).Select(d => d.KmsName).ToArray());
        var all = await store.ListDistributionsAsync(null, null, 3);
        CollectionAssert.AreEqual(new[] { "p1/k1", "p1/k2", "p2/k1" },
            all.Select(d => $"{d.KmsName}/{d.KeyName}").ToArray());
        CollectionAssert.AreEqual(new[] { "p2/k2" },
            (await store.ListDistributionsAsync("p2", "k1", 3)).Select(d => $"{d.KmsName}/{d.KeyName}").ToArray());
    }

    [TestMethod]
    public async Task Hosts_racing_to_add_the_same_version_add_it_once_and_every_host_reads_the_material_that_was_kept()
    {
        const int hosts = 5;
        KeyStore[] stores = [.. Enumerable.Range(0, hosts).Select(_ => OpenStore())];
        try
        {
            await CreateAsync(stores[0], "ec-race", ManagedKeyTypes.EcdsaP256);

            KeyRecord?[] results = await Task.WhenAll(stores.Select(s => s.AddVersionAsync("ec-race", 2,
                KeyMaterial.Generate)));

            KeyRecord stored = (await stores[0].GetKeyAsync("ec-race"))!;
            Assert.AreEqual(2, stored.LatestVersion);
            Assert.HasCount(2, stored.Versions);
            Assert.IsTrue(results.All(r => r!.LatestVersion == 2 && r.Versions[1].PublicKeyPem == stored.Versions[1].PublicKeyPem), "every host answers the version that was kept");
            foreach (KeyStore s in stores)
            {
                Assert.AreEqual(stored.Versions[1].PublicKeyPem,
                    KeyMaterial.PublicKeyPem(ManagedKeyTypes.EcdsaP256, (await s.ReadMaterialAsync("ec-race", 2))!));
            }
        }
        finally
        {
            foreach (KeyStore s in stores) s.Dispose();
        }
    }

    [TestMethod]
    public async Task Hosts_changing_one_distribution_at_once_all_land()
    {
        const int hosts = 5;
        KeyStore[] stores = [.. Enumerable.Range(0, hosts).Select(_ => OpenStore())];
        try
        {
            await CreateAsync(stores[0], "k-race", ManagedKeyTypes.EcdsaP256);
            await stores[0].PutProviderAsync(new KmsProviderRecord { Name = "p-race", KeyCollection = "vault" }, null);

            await Task.WhenAll(stores.Select((s, i) => s.UpsertDistributionAsync("p-race", "k-race", current =>
                (current ?? Distribution("p-race",
                    "k-race")) with { AzureVersions = new Dictionary<int, string>(current?.AzureVersions ?? new Dictionary<int, string>()) { [i + 1] = $"v{i}" } })));

            KeyDistributionRecord kept = (await stores[1].GetDistributionAsync("p-race", "k-race"))!;
            CollectionAssert.AreEquivalent(Enumerable.Range(1, hosts).ToArray(), kept.AzureVersions.Keys.ToArray(),
                "no host's change lost");
        }
        finally
        {
            foreach (KeyStore s in stores) s.Dispose();
        }
    }

    [TestMethod]
    public async Task A_key_deleted_while_another_host_distributes_it_is_either_deleted_or_kept_with_its_distribution()
    {
        using KeyStore deleter = OpenStore();
        using KeyStore distributor = OpenStore();
        await deleter.PutProviderAsync(new KmsProviderRecord { Name = "p", KeyCollection = "vault" }, null);
        for (int i = 0; i < 6; i++)
        {
            string key = $"k{i}";
            await CreateAsync(deleter, key, ManagedKeyTypes.EcdsaP256);
            await deleter.UpdateKeyAsync(key, k => k with { DeletionAllowed = true });

            Task<KeyDeletion> deletion = deleter.DeleteKeyAsync(key);
            Task<KeyDistributionRecord?> distribution = distributor.UpsertDistributionAsync("p", key,
                _ => Distribution("p", key));
            await Task.WhenAll(deletion, distribution);

            bool keyExists = await deleter.GetKeyAsync(key) is not null;
            bool distributed = await deleter.GetDistributionAsync("p", key) is not null;
            if (deletion.Result.Outcome == KeyDeletionOutcome.Deleted)
            {
                Assert.IsFalse(keyExists);
                Assert.IsNull(distribution.Result, "no distribution of a deleted key");
                Assert.IsFalse(distributed);
            }
            else
            {
                Assert.AreEqual(KeyDeletionOutcome.Distributed, deletion.Result.Outcome);
                Assert.IsTrue(keyExists && distributed && distribution.Result is not null);
            }
        }
    }

    private static async Task<bool> CreateAsync(KeyStore store, string name, string type)
    {
        byte[] material = KeyMaterial.Generate(type);
        return await store.TryCreateKeyAsync(Key(name, type, material), material);
    }

    private static KeyRecord Key(string name, string type, byte[] material) => new()
    {
        Name = name, Type = type,
            Versions = [new KeyVersionInfo(1, DateTimeOffset.UtcNow, KeyMaterial.PublicKeyPem(type, material))],
    };

    private static KeyDistributionRecord Distribution(string kms, string key) =>
        new() { KmsName = kms, KeyName = key, Purpose = ["sign"], Protection = KeyProtections.Software };
}
