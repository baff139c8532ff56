using EdgeKv.Records;
using EdgeKv.Records.Tables;

namespace EdgeKv.Records.Tests;

/// <summary>
/// The resource store contract on Table storage (Azurite, one per assembly; fresh tables per test). Inconclusive
/// without Azurite.
/// </summary>
[TestClass]
public sealed class TableResourceStoreContractTests : ResourceStoreContract
{
    private string prefix = "";

    [TestInitialize]
    public void OpenAccount()
    {
        prefix = TableStorageAzurite.NewPrefix();
    }

    protected override ResourceStore OpenStore(TimeProvider time) =>
        new(new TableResourceStore(TableStorageAzurite.Account(prefix), time));
}
