using EdgeKv.Functions.Security;
using EdgeKv.Records.Keys;
using EdgeKv.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using EdgeKv.Records.Security;
using EdgeKv.Records.Security.Sqlite;

namespace EdgeKv.Functions.Tests;

/// <summary>The audit trail and role assignment contract on security.db.</summary>
[TestClass]
public sealed class SqliteAuditTrailContractTests : AuditTrailContract
{
    private readonly List<SecurityDatabase> stores = [];
    private TempDirectory? folder;

    [TestInitialize]
    public void CreateFolder() => folder = new TempDirectory("audit");

    [TestCleanup]
    public void RemoveFolder()
    {
        foreach (SecurityDatabase store in stores) store.Dispose();
        folder?.Dispose();
    }

    protected override AuditTrail OpenTrail(TimeProvider time) =>
        new(Open(), AuditSealKey.InFile(new LocalKeyEncryptionKey(Path.Combine(folder!.Path, "kek.key")),
            Path.Combine(folder.Path, "audit-seal.key")),
            time, NullLogger<AuditTrail>.Instance);

    protected override RoleAssignmentStore OpenRoles() => new(Open());

    protected override Task RewriteAsync(AuditRecord record)
    {
        using SecurityDatabase store = new(Path.Combine(folder!.Path, "security.db"));
        using SqliteConnection connection = store.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = """
            DROP TRIGGER IF EXISTS audit_no_update;
            UPDATE audit_records SET operation = $o, result = $r, prev_hash = $p, hash = $h WHERE seq = $s;
            """;
        command.Parameters.AddWithValue("$o", record.Operation);
        command.Parameters.AddWithValue("$r", record.Result);
        command.Parameters.AddWithValue("$p", record.PreviousHash);
        command.Parameters.AddWithValue("$h", record.Hash);
        command.Parameters.AddWithValue("$s", record.Sequence);
        command.ExecuteNonQuery();
        return Task.CompletedTask;
    }

    private SecurityDatabase Open()
    {
        var store = new SecurityDatabase(Path.Combine(folder!.Path, "security.db"));
        stores.Add(store);
        return store;
    }
}
