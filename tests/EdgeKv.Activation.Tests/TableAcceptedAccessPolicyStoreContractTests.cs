using EdgeKv.Records.AccessPolicies;
using EdgeKv.Records.AccessPolicies.Shared;
using EdgeKv.Records.Shared;
using EdgeKv.Tests.Shared;

namespace EdgeKv.Activation.Tests;

/// <summary>The accepted access policy contract on Table storage (Azurite, one per class; fresh tables per test). Inconclusive without Azurite.</summary>
[TestClass]
public sealed class TableAcceptedAccessPolicyStoreContractTests : AcceptedAccessPolicyStoreContract
{
    private static AzuriteProcess? s_azurite;
    private string prefix = "";

    [ClassInitialize]
    public static async Task StartAzuriteAsync(TestContext context) => s_azurite = await AzuriteProcess.StartAsync();

    [ClassCleanup]
    public static void StopAzurite() => s_azurite?.Dispose();

    [TestInitialize]
    public void ChoosePrefix()
    {
        if (s_azurite is null) Assert.Inconclusive("Azurite is not installed (.ci/install puts it under .tools/azurite).");
        prefix = $"T{Guid.NewGuid():N}"[..16];
    }

    protected override AcceptedAccessPolicyStore OpenStore() =>
        new(new TableAcceptedAccessPolicyStore(SharedStoreAccount.FromConnectionString(s_azurite!.ConnectionString, prefix)));
}
