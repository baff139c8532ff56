using EdgeKv.Records.Sweeps;
using EdgeKv.Records.Sweeps.Tables;

namespace EdgeKv.Records.Tests;

/// <summary>
/// The sweep's memory on Table storage (Azurite, one per assembly; fresh tables per test). Inconclusive without
/// Azurite.
/// </summary>
[TestClass]
public sealed class TableSweepCheckStoreContractTests : SweepCheckStoreContract
{
    private string prefix = "";

    [TestInitialize]
    public void OpenAccount()
    {
        prefix = TableStorageAzurite.NewPrefix();
    }

    protected override SweepCheckStore OpenStore() => new(new TableSweepCheckStore(TableStorageAzurite.Account(prefix)));
}
