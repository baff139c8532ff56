using EdgeKv.Functions.Security;
using EdgeKv.Tests.Shared;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeKv.Functions.Tests;

/// <summary>The audit trail and role assignment contract on security.db.</summary>
[TestClass]
public sealed class SqliteAuditTrailContractTests : AuditTrailContract
{
    private readonly List<SecurityStore> stores = [];
    private TempDirectory? folder;

    [TestInitialize]
    public void CreateFolder() => folder = new TempDirectory("audit");

    [TestCleanup]
    public void RemoveFolder()
    {
        foreach (SecurityStore store in stores) store.Dispose();
        folder?.Dispose();
    }

    protected override AuditTrail OpenTrail(TimeProvider time) => new(Open(), time, NullLogger<AuditTrail>.Instance);

    protected override RoleAssignmentStore OpenRoles() => new(Open());

    private SecurityStore Open()
    {
        var store = new SecurityStore(Path.Combine(folder!.Path, "security.db"));
        stores.Add(store);
        return store;
    }
}
