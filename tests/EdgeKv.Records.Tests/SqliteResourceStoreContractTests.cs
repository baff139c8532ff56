using EdgeKv.Records;
using EdgeKv.Tests.Support;

namespace EdgeKv.Records.Tests;

/// <summary>The resource store contract on the embedded SQLite file.</summary>
[TestClass]
public sealed class SqliteResourceStoreContractTests : ResourceStoreContract
{
    private TempDirectory? folder;

    [TestInitialize]
    public void CreateFolder() => folder = new TempDirectory("store");

    [TestCleanup]
    public void RemoveFolder() => folder?.Dispose();

    protected override ResourceStore OpenStore(TimeProvider time) => new(new ResourceStoreOptions(Path.Combine(folder!.Path, "EdgeKv.db")), time);
}
