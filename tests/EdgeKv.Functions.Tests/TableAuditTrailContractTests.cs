using Azure.Data.Tables;
using EdgeKv.Functions.Security;
using EdgeKv.Records.Keys;
using EdgeKv.Records.Tables;
using EdgeKv.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using EdgeKv.Records.Security;
using EdgeKv.Records.Security.Tables;

namespace EdgeKv.Functions.Tests;

/// <summary>
/// The audit trail and role assignment contract on Table storage (Azurite, one per class; fresh tables per test), and
/// what only the shared trail needs showing: an edited record breaks the chain, and a trail that cannot write fails
/// closed.
/// </summary>
[TestClass]
public sealed class TableAuditTrailContractTests : AuditTrailContract
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
        kekFolder = new TempDirectory("audit-kek");
        kek = new LocalKeyEncryptionKey(Path.Combine(kekFolder.Path, "shared.key"));
    }

    [TestCleanup]
    public void RemoveKek() => kekFolder?.Dispose();

    private TempDirectory? kekFolder;
    private LocalKeyEncryptionKey? kek;

    private LocalKeyEncryptionKey Kek => kek!;

    protected override async Task RewriteAsync(AuditRecord record)
    {
        TableClient table = Account().Tables.GetTableClient(prefix + "Audit");
        TableEntity row = (await table.GetEntityAsync<TableEntity>("audit", $"r|{record.Sequence:D19}")).Value;
        row["Operation"] = record.Operation;
        row["Result"] = record.Result;
        row["PreviousHash"] = record.PreviousHash;
        row["Hash"] = record.Hash;
        await table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace);
        TableEntity head = (await table.GetEntityAsync<TableEntity>("audit", "head")).Value;
        if (head.GetInt64("Sequence") == record.Sequence)
        {
            head["Hash"] = record.Hash;
            await table.UpdateEntityAsync(head, head.ETag, TableUpdateMode.Replace);
        }
    }

    protected override AuditTrail OpenTrail(TimeProvider time) =>
        new(new TableAuditTrail(Account()), AuditSealKey.InSharedStore(Kek, Account()), time,
            NullLogger<AuditTrail>.Instance);

    protected override RoleAssignmentStore OpenRoles() => new(new TableRoleAssignments(Account()));

    [TestMethod]
    public async Task An_edited_record_breaks_the_chain_at_that_record()
    {
        AuditTrail trail = OpenTrail(TimeProvider.System);
        await trail.AppendAsync(Entry("one"));
        AuditRecord second = await trail.AppendAsync(Entry("two"));
        await trail.AppendAsync(Entry("three"));

        // Someone with the account's key edits a record: the chain shows where.
        TableClient table = Account().Tables.GetTableClient(prefix + "Audit");
        TableEntity row = (await table.GetEntityAsync<TableEntity>("audit", $"r|{second.Sequence:D19}")).Value;
        row["Operation"] = "nothing";
        await table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace);

        Assert.AreEqual(second.Sequence, await trail.VerifyAsync());
    }

    [TestMethod]
    public async Task Append_fails_closed_when_the_store_cannot_write()
    {
        AuditTrail trail = OpenTrail(TimeProvider.System);
        await trail.AppendAsync(Entry("before"));
        await Account().Tables.DeleteTableAsync(prefix + "Audit");

        await Assert.ThrowsExactlyAsync<AuditUnavailableException>(() => trail.AppendAsync(Entry("SecretValueRead",
            "BitLockerRecoveryKey")));
    }

    private SharedStoreAccount Account() => SharedStoreAccount.FromConnectionString(s_azurite!.ConnectionString,
        prefix);
}
