using EdgeKv.Records.Security;
using EdgeKv.Records.Security.Tables;

namespace EdgeKv.Records.Tests;

/// <summary>The security alert contract on Table storage (Azurite, one per assembly; fresh tables per test). Inconclusive without Azurite.</summary>
[TestClass]
public sealed class TableSecurityAlertsContractTests : SecurityAlertBackendContract
{
    private string prefix = "";

    [TestInitialize]
    public void OpenAccount() => prefix = TableStorageAzurite.NewPrefix();

    protected override SecurityAlertBackend Open() => new TableSecurityAlerts(TableStorageAzurite.Account(prefix));
}
