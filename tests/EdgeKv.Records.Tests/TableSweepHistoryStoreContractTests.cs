using EdgeKv.Records.Tables;
using EdgeKv.Records.Sweeps;
using EdgeKv.Records.Sweeps.Tables;

namespace EdgeKv.Records.Tests;

/// <summary>
/// The sweep history contract on Table storage (Azurite, one per assembly; fresh tables per test). Inconclusive without
/// Azurite.
/// </summary>
[TestClass]
public sealed class TableSweepHistoryStoreContractTests : SweepHistoryStoreContract
{
    private string prefix = "";

    [TestInitialize]
    public void OpenAccount()
    {
        prefix = TableStorageAzurite.NewPrefix();
    }

    protected override SweepHistoryStore OpenStore(SweepRetention retention, TimeProvider time) =>
        new(new TableSweepHistoryStore(TableStorageAzurite.Account(prefix), retention, time));
}
