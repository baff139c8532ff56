using System.Text.Json.Nodes;
using EdgeKv.Emulator.Store;
using EdgeKv.Tests.Support;

namespace EdgeKv.Emulator.Tests.Store;

/// <summary>
/// The emulator's document store: path ranges, field indexes kept right through overwrite and delete, and a reopen.
/// </summary>
[TestClass]
public sealed class DocumentStoreTests
{
    private static readonly Dictionary<string, IReadOnlyList<string>> Indexed = new() { ["r"] = ["type", "name"] };

    [TestMethod]
    public async Task UnderReturnsThePathAndItsSubtreeOnlyInKeyOrder()
    {
        using var folder = new TempDirectory("edgekv-docstore");
        await using var store = await SqliteDocumentStore.OpenAsync(Path.Combine(folder.Path, "s.db"), Indexed,
            CancellationToken.None);
        foreach (var key in new[] { "/s/g/v", "/s/g/v/locks/b", "/s/g/v/locks/a", "/s/g/v2", "/s/g/v0", "/s/g/vault",
            "/s/g" })
        {
            await store.PutAsync("r", key, Doc(key, "t", "n"), CancellationToken.None);
        }

        var under = await store.ListUnderAsync("r", "/S/G/V/", CancellationToken.None);

        CollectionAssert.AreEqual(new[] { "/s/g/v", "/s/g/v/locks/a", "/s/g/v/locks/b" },
            under.Select(d => (string)d["id"]!).ToArray());
        Assert.IsEmpty(await store.ListUnderAsync("r", "/s/g/v/locks/c", CancellationToken.None));
        Assert.HasCount(7, await store.ListUnderAsync("r", "/s", CancellationToken.None));
    }

    [TestMethod]
    public async Task FindUsesTheIndexAndFollowsOverwritesAndDeletes()
    {
        using var folder = new TempDirectory("edgekv-docstore");
        await using var store = await SqliteDocumentStore.OpenAsync(Path.Combine(folder.Path, "s.db"), Indexed,
            CancellationToken.None);
        await store.PutAsync("r", "/s/g/a", Doc("/s/g/a", "Microsoft.KeyVault/vaults", "A"), CancellationToken.None);
        await store.PutAsync("r", "/s/g/a/locks/l", Doc("/s/g/a/locks/l", "Microsoft.Authorization/locks", "l"),
            CancellationToken.None);
        await store.PutAsync("r", "/s/h/b", Doc("/s/h/b", "microsoft.keyvault/VAULTS", "b"), CancellationToken.None);

        Assert.HasCount(2, await store.FindAsync("r", "type", "Microsoft.KeyVault/vaults", under: null,
            CancellationToken.None));
        Assert.HasCount(1, await store.FindAsync("r", "type", "Microsoft.KeyVault/vaults", "/s/h",
            CancellationToken.None));
        Assert.HasCount(1, await store.FindAsync("r", "name", "a", under: null, CancellationToken.None));

        // A changed field moves the document between index entries; a deleted one leaves every index.
        await store.PutAsync("r", "/s/g/a", Doc("/s/g/a", "Microsoft.Storage/storageAccounts", "a"),
            CancellationToken.None);
        Assert.HasCount(1, await store.FindAsync("r", "type", "Microsoft.KeyVault/vaults", under: null,
            CancellationToken.None));
        Assert.HasCount(1, await store.FindAsync("r", "type", "Microsoft.Storage/storageAccounts", "/s/g/a",
            CancellationToken.None));
        Assert.IsTrue(await store.DeleteAsync("r", "/S/G/A", CancellationToken.None));
        Assert.IsEmpty(await store.FindAsync("r", "name", "a", under: null, CancellationToken.None));
        Assert.IsFalse(await store.DeleteAsync("r", "/s/g/a", CancellationToken.None));
        await Assert.ThrowsExactlyAsync<InvalidOperationException>(() => store.FindAsync("r", "location", "x",
            under: null, CancellationToken.None));
    }

    [TestMethod]
    public async Task AReopenedStoreRebuildsItsIndexesFromDisk()
    {
        using var folder = new TempDirectory("edgekv-docstore");
        var path = Path.Combine(folder.Path, "s.db");
        await using (var store = await SqliteDocumentStore.OpenAsync(path, Indexed, CancellationToken.None))
        {
            await store.PutAsync("r", "/s/g/a", Doc("/s/g/a", "t1", "a"), CancellationToken.None);
            await store.PutAsync("r", "/s/g/b", Doc("/s/g/b", "t2", "b"), CancellationToken.None);
            await store.DeleteAsync("r", "/s/g/b", CancellationToken.None);
        }

        await using var reopened = await SqliteDocumentStore.OpenAsync(path, Indexed, CancellationToken.None);
        Assert.AreEqual("a", (string?)(await reopened.FindAsync("r", "type", "T1", "/s/g",
            CancellationToken.None)).Single()["name"]);
        Assert.IsEmpty(await reopened.FindAsync("r", "type", "t2", under: null, CancellationToken.None));
    }

    [TestMethod]
    public async Task ReturnedDocumentsAreCopiesACallerCannotChangeForOthers()
    {
        using var folder = new TempDirectory("edgekv-docstore");
        await using var store = await SqliteDocumentStore.OpenAsync(Path.Combine(folder.Path, "s.db"), Indexed,
            CancellationToken.None);
        await store.PutAsync("r", "/s/a", Doc("/s/a", "t", "a"), CancellationToken.None);

        (await store.GetAsync("r", "/s/a", CancellationToken.None))!["name"] = "changed";

        Assert.AreEqual("a", (string?)(await store.GetAsync("r", "/s/a", CancellationToken.None))!["name"]);
    }

    private static JsonObject Doc(string id, string type, string name) => new() { ["id"] = id, ["type"] = type,
        ["name"] = name };
}
