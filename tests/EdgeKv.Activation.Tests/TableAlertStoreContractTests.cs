using EdgeKv.Records.Alerts;
using EdgeKv.Records.Alerts.Shared;
using EdgeKv.Records.Shared;

namespace EdgeKv.Activation.Tests;

/// <summary>The alert store contract on Table storage (Azurite, one per assembly; fresh tables per test). Inconclusive without Azurite.</summary>
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
