using EdgeKv.Records;
using EdgeKv.Records.AccessPolicies;
using EdgeKv.Tests.Support;

namespace EdgeKv.Records.Tests;

/// <summary>The accepted access policy contract on the embedded SQLite store (a fresh file per test).</summary>
[TestClass]
public sealed class SqliteAcceptedAccessPolicyStoreContractTests : AcceptedAccessPolicyStoreContract
{
    private TempDirectory? folder;

    [TestInitialize]
    public void CreateFolder() => folder = new TempDirectory("accepted");

    [TestCleanup]
    public void RemoveFolder() => folder?.Dispose();

    protected override AcceptedAccessPolicyStore OpenStore() => new(new ResourceStoreOptions(Path.Combine(folder!.Path,
        "EdgeKv.db")), TimeProvider.System);
}
