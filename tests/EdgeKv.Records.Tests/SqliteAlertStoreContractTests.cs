using EdgeKv.Records;
using EdgeKv.Records.Alerts;
using EdgeKv.Tests.Support;

namespace EdgeKv.Records.Tests;

/// <summary>The alert store contract on the embedded SQLite file.</summary>
[TestClass]
public sealed class SqliteAlertStoreContractTests : AlertStoreContract
{
    private TempDirectory? folder;

    [TestInitialize]
    public void CreateFolder() => folder = new TempDirectory("alerts");

    [TestCleanup]
    public void RemoveFolder() => folder?.Dispose();

    protected override AlertStore OpenStore(TimeProvider time) => new(new ResourceStoreOptions(Path.Combine(folder!.Path, "EdgeKv.db")), time);
}
