using EdgeKv.Records.Alerts;
using EdgeKv.Records.Alerts.Tables;
using EdgeKv.Records.Tables;

namespace EdgeKv.Records.Tests;

/// <summary>
/// The alert store contract on Table storage (Azurite, one per assembly; fresh tables per test). Inconclusive without
/// Azurite.
/// </summary>
[TestClass]
public sealed class TableAlertStoreContractTests : AlertStoreContract
{
    private string prefix = "";

    [TestInitialize]
    public void OpenAccount()
    {
        prefix = TableStorageAzurite.NewPrefix();
    }

    protected override AlertStore OpenStore(TimeProvider time) =>
        new(new TableAlertStore(TableStorageAzurite.Account(prefix), time));
}
