using EdgeKv.Records;
using EdgeKv.Records.Sweeps;
using EdgeKv.Tests.Support;

namespace EdgeKv.Records.Tests;

/// <summary>The sweep's memory on the embedded SQLite store (a fresh file per test).</summary>
[TestClass]
public sealed class SqliteSweepCheckStoreContractTests : SweepCheckStoreContract
{
    private TempDirectory? folder;

    [TestInitialize]
    public void CreateFolder() => folder = new TempDirectory("sweep-checks");

    [TestCleanup]
    public void RemoveFolder() => folder?.Dispose();

    protected override SweepCheckStore OpenStore() => new(new ResourceStoreOptions(Path.Combine(folder!.Path,
        "EdgeKv.db")), TimeProvider.System);
}
