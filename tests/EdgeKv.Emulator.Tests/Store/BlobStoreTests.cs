using EdgeKv.Emulator.Hosting;
using EdgeKv.Emulator.Monitoring;
using EdgeKv.Emulator.Store;
using EdgeKv.Tests.Support;

namespace EdgeKv.Emulator.Tests.Store;

/// <summary>Audit blobs grow by appended blocks: a record never rewrites what the blob already holds.</summary>
[TestClass]
public sealed class BlobStoreTests
{
    [TestMethod]
    public async Task Append_WritesOneBlockPerRecord_AndReadsTheWholeBlobBackInOrder()
    {
        using var folder = new TempDirectory("edgekv-blobs");
        await using var store = await SqliteDocumentStore.OpenAsync(Path.Combine(folder.Path, "s.db"),
            Collections.IndexedFields, CancellationToken.None);
        using var blobs = new BlobStore(store, new EmulatorClock(TimeProvider.System));

        for (var i = 0; i < 50; i++)
        {
            await blobs.AppendAsync("acct", "insights-logs-auditevent", "a/PT1H.json", $"record {i}\n",
                CancellationToken.None);
        }

        var metadata = await store.GetAsync(Collections.Blobs, "acct/insights-logs-auditevent/a/PT1H.json",
            CancellationToken.None);
        var blob = await blobs.GetAsync("acct", "insights-logs-auditevent", "a/PT1H.json", CancellationToken.None);

        Assert.IsNull(metadata!["content"],
            "the blob document must not carry the content it would rewrite on every record");
        Assert.AreEqual(50, (int)metadata["blocks"]!);
        Assert.HasCount(50, await store.ListAsync(Collections.BlobBlocks, CancellationToken.None));
        Assert.AreEqual(string.Concat(Enumerable.Range(0, 50).Select(i => $"record {i}\n")), (string)blob!["content"]!);
        Assert.AreEqual(BlobStore.Size(blob), System.Text.Encoding.UTF8.GetByteCount((string)blob["content"]!));
    }
}
