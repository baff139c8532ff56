using EdgeKv.Records;
using EdgeKv.Records.Sweeps;
using EdgeKv.Tests.Support;

namespace EdgeKv.Records.Tests;

/// <summary>The sweep history contract on the embedded SQLite store (a fresh file per test).</summary>
[TestClass]
public sealed class SqliteSweepHistoryStoreContractTests : SweepHistoryStoreContract
{
    private TempDirectory? folder;

    [TestInitialize]
    public void CreateFolder() => folder = new TempDirectory("sweeps");

    [TestCleanup]
    public void RemoveFolder() => folder?.Dispose();

    protected override SweepHistoryStore OpenStore(SweepRetention retention, TimeProvider time) =>
        new(new ResourceStoreOptions(Path.Combine(folder!.Path, "EdgeKv.db")), retention, time);
}
