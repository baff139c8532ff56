using EdgeKv.Azure.Authorization;
using EdgeKv.Azure.Monitoring;
using EdgeKv.Azure.Vaults;
using EdgeKv.Emulator;

namespace EdgeKv.Azure.Tests.KeyVault;

/// <summary>
/// A vault holding many days of audit logs answers a one-hour query by listing and reading that hour only, counted from
/// the emulator's request log. A private emulator: the test moves its clock to spread the logs over days.
/// </summary>
[TestClass]
public sealed class AuditLogWindowTests
{
    private const string ResourceGroup = "rg-audit-window";
    private const string Account = "auditwindow01";
    private static RunningEmulator emulator = null!;
    private static EdgeKvAzureClientFactory factory = null!;
    private static VaultProperties vault = null!;
    private static List<DateTimeOffset> writtenHours = null!;

    [ClassInitialize]
    public static async Task InitializeAsync(TestContext context)
    {
        emulator = await TestEmulator.StartAsync();
        factory = TestEmulator.Factory(emulator);
        vault = await DataPlaneVaults.CreateAsync(emulator, ResourceGroup, "kv-audit-window");
        var account = await factory.GetStorageAccountsClient().CreateAsync(ResourceGroup, Account,
            emulator.DefaultLocation);
        await factory.GetDiagnosticSettingsClient().CreateOrUpdateAsync(vault.Id, "audit-to-storage", account.Id,
            categories: ["AuditEvent"]);
        await factory.GetRoleAssignmentsClient().CreateAsync(account.Id, AzureBuiltInRoles.StorageBlobDataReader,
            emulator.GetPrincipal(EmulatorPrincipals.EdgeKvService).ObjectId);

        // Ten days of logs, a secret write every seven hours (each lands in a blob of its own hour).
        var secrets = factory.CreateSecretClient(vault.VaultUri!);
        for (var i = 0; i < 34; i++)
        {
            await emulator.Admin.AdvanceClockAsync(TimeSpan.FromHours(7));
            await secrets.SetSecretAsync("cik", $"value-{i}");
        }

        writtenHours = [.. (await factory.CreateAuditLogsClient(Account).ListAuditBlobsAsync(vault.Id)).Select(b => b.Hour!.Value).Order()];
    }

    [ClassCleanup]
    public static async Task CleanupAsync() => await TestEmulator.StopAsync(emulator);

    [TestMethod]
    public async Task OneHourQuery_ListsAndReadsOnlyThatHoursBlobs()
    {
        var client = factory.CreateAuditLogsClient(Account);
        Assert.IsTrue(writtenHours.Select(h => h.Date).Distinct().Count() >= 9,
            $"logs over many days ({writtenHours.Count} blobs)");
        var hour = writtenHours[writtenHours.Count / 2];

        await emulator.Admin.ClearRequestsAsync();
        var records = await client.GetAuditRecordsAsync(vault.Id, hour, hour.AddHours(1));

        Assert.IsTrue(records.Count > 0, "the hour's records are read");
        Assert.IsTrue(records.All(r => r.Time >= hour && r.Time < hour.AddHours(1)));
        var blobRequests = await emulator.Admin.GetRequestsAsync(pathContains: "/" + AuditLogsClient.Container);
        var lists = blobRequests.Where(r => r.Query.Contains("comp=list", StringComparison.Ordinal)).ToList();
        var reads = blobRequests.Except(lists).ToList();
        Assert.AreEqual(1, lists.Count, string.Join('\n', lists.Select(r => r.Query)));
        StringAssert.Contains(Uri.UnescapeDataString(lists[0].Query),
            $"y={hour:yyyy}/m={hour:MM}/d={hour:dd}/h={hour:HH}/");
        Assert.AreEqual(1, reads.Count, string.Join('\n', reads.Select(r => r.Path)));
        StringAssert.Contains(Uri.UnescapeDataString(reads[0].Path), $"/h={hour:HH}/m=00/PT1H.json");
    }

    [TestMethod]
    public async Task WindowOfDays_ReadsTheBlobsOfItsHours_AndMatchesTheFullRead()
    {
        var client = factory.CreateAuditLogsClient(Account);
        var from = writtenHours[5].AddMinutes(30);
        var to = writtenHours[20].AddMinutes(30);
        var everything = await client.GetAuditRecordsAsync(vault.Id);

        await emulator.Admin.ClearRequestsAsync();
        var windowed = await client.GetAuditRecordsAsync(vault.Id, from, to);

        CollectionAssert.AreEqual(everything.Where(r => r.Time >= from && r.Time < to).Select(r => r.Id).ToList(), windowed.Select(r => r.Id).ToList());
        var reads = (await emulator.Admin.GetRequestsAsync(pathContains: "/" + AuditLogsClient.Container))
            .Count(r => !r.Query.Contains("comp=list", StringComparison.Ordinal));
        Assert.AreEqual(writtenHours.Count(h => h.AddHours(1) > from && h < to), reads);
    }
}
