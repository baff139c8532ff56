using EdgeKv.Records.AccessPolicies;
using EdgeKv.Records.AccessPolicies.Tables;
using EdgeKv.Records.Tables;

namespace EdgeKv.Records.Tests;

/// <summary>
/// The accepted access policy contract on Table storage (Azurite, one per assembly; fresh tables per test).
/// Inconclusive without Azurite.
/// </summary>
[TestClass]
public sealed class TableAcceptedAccessPolicyStoreContractTests : AcceptedAccessPolicyStoreContract
{
    private string prefix = "";

    [TestInitialize]
    public void OpenAccount()
    {
        prefix = TableStorageAzurite.NewPrefix();
    }

    protected override AcceptedAccessPolicyStore OpenStore() =>
        new(new TableAcceptedAccessPolicyStore(TableStorageAzurite.Account(prefix)));
}
