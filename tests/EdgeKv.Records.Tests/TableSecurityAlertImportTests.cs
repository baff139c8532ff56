using Azure;
using Azure.Data.Tables;
using EdgeKv.Records.Alerts;
using EdgeKv.Records.Alerts.Tables;
using EdgeKv.Records.Tables;
using EdgeKv.Tests.Support;

namespace EdgeKv.Records.Tests;

/// <summary>
/// The shared store's retired <c>SecurityAlerts</c> table (Azurite) carried into the Table alert store once, then
/// deleted. Inconclusive without Azurite.
/// </summary>
[TestClass]
public sealed class TableSecurityAlertImportTests
{
    [TestMethod]
    public async Task The_old_table_is_carried_over_once_and_deleted()
    {
        SharedStoreAccount account = TableStorageAzurite.Account(TableStorageAzurite.NewPrefix());
        TableClient old = account.Table(SecurityAlertImport.SharedTable);
        DateTimeOffset at = DateTimeOffset.Parse("2026-01-01T00:00:00Z",
            System.Globalization.CultureInfo.InvariantCulture);
        await old.AddEntityAsync(new TableEntity("security", "head") { ["Sequence"] = 2L });
        await old.AddEntityAsync(new TableEntity("security", "s|0000000000000000001")
        {
            ["Time"] = at, ["Kind"] = "SelfGrantedDataPlaneAccess", ["Resource"] = "ase-one",
                ["ResourceKey"] = "ase-one",
            ["Principal"] = "0b1d0c1a-0000-4000-8000-0000000000e1", ["Message"] = "granted itself",
        });
        await old.AddEntityAsync(new TableEntity("security", "s|0000000000000000002")
        {
            ["Time"] = at.AddHours(1), ["Kind"] = "AccessPolicyNotGrantedByEdgeKv", ["Resource"] = "ase-one",
                ["ResourceKey"] = "ase-one",
            ["Principal"] = "0b1d0c1a-0000-4000-8000-0000000000e2", ["Message"] = "stranger",
        });
        using var alerts = new AlertStore(new TableAlertStore(account, new ManualTimeProvider()));

        Assert.AreEqual(2, await SecurityAlertImport.FromTablesAsync(account, alerts));

        IReadOnlyList<Alert> all = [.. (await alerts.QueryPageAsync("ase-one", null, AlertState.Active, null,
            100)).Select(r => r.Alert)];
        CollectionAssert.AreEqual(new[] { AlertKind.SelfGrantedDataPlaneAccess,
            AlertKind.AccessPolicyNotGrantedByEdgeKv }, all.Select(a => a.Kind).ToArray());
        Assert.AreEqual(("granted itself", at), (all[0].Finding, all[0].FirstSeen));
        RequestFailedException gone = await Assert.ThrowsExactlyAsync<RequestFailedException>(
            async () => await account.Tables.GetTableClient(account.Prefix + SecurityAlertImport.SharedTable).GetEntityAsync<TableEntity>("security", "head"));
        Assert.AreEqual(404, gone.Status);
        Assert.AreEqual(0, await SecurityAlertImport.FromTablesAsync(account, alerts),
            "nothing left at the next start");
    }
}
