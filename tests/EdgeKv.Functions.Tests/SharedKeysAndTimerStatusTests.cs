using EdgeKv.Local.Security;
using EdgeKv.Functions.Security;
using EdgeKv.FunctionsHost.Timers;
using EdgeKv.Records.Tables;
using EdgeKv.Tests.Support;

namespace EdgeKv.Functions.Tests;

/// <summary>
/// What several hosts keep as blobs in the shared account (Azurite, one per class): the webhook system keys, the
/// activation-key signing key and the timer schedule status. Inconclusive without Azurite.
/// </summary>
[TestClass]
public sealed class SharedKeysAndTimerStatusTests
{
    private static AzuriteProcess? s_azurite;
    private SharedStoreAccount account = null!;

    [ClassInitialize]
    public static async Task StartAzuriteAsync(TestContext context) => s_azurite = await AzuriteProcess.StartAsync();

    [ClassCleanup]
    public static void StopAzurite() => s_azurite?.Dispose();

    [TestInitialize]
    public void OpenAccount()
    {
        if (s_azurite is null) Assert.Inconclusive("Azurite is not installed (.ci/install puts it under .tools/azurite).");
        account = SharedStoreAccount.FromConnectionString(s_azurite.ConnectionString, $"T{Guid.NewGuid():N}"[..16]);
    }

    [TestMethod]
    public void A_key_rotated_on_one_host_is_the_only_key_on_every_host()
    {
        using var folder = new TempDirectory("keys");
        var first = new SystemKeyStore(folder.Path, account.Container("keys").GetBlobClient("system-keys.json"));
        var second = new SystemKeyStore(folder.Path, account.Container("keys").GetBlobClient("system-keys.json"));
        string old = first.Rotate("eventgrid_extension");
        Assert.IsTrue(second.Exists("eventgrid_extension"));
        Assert.IsTrue(second.Verify("eventgrid_extension", old));

        string fresh = second.RotateExisting("eventgrid_extension")!;
        Assert.IsFalse(first.Verify("eventgrid_extension", old),
            "the old key stops working on the host that did not rotate it");
        Assert.IsTrue(first.Verify("eventgrid_extension", fresh));
        Assert.IsFalse(first.Verify("eventgrid_extension", "guess"));
    }

    [TestMethod]
    public async Task Keys_set_on_two_hosts_at_once_are_both_kept()
    {
        using var folder = new TempDirectory("keys");
        SystemKeyStore[] hosts = [.. Enumerable.Range(0,
            4).Select(_ => new SystemKeyStore(folder.Path,
                account.Container("keys").GetBlobClient("system-keys.json")))];
        await Task.WhenAll(hosts.Select((h, i) => Task.Run(() => h.Set($"key{i}", $"value-{i}-0123456789"))));
        for (int i = 0; i < hosts.Length; i++) Assert.IsTrue(hosts[0].Verify($"key{i}", $"value-{i}-0123456789"),
            $"key{i}");
    }

    [TestMethod]
    public async Task Hosts_starting_together_share_one_signing_key()
    {
        byte[][] keys = await Task.WhenAll(Enumerable.Range(0,
            4).Select(_ => Task.Run(() => SharedSecretBlob.LoadOrCreate(account, "activation-signing.key"))));
        Assert.HasCount(32, keys[0]);
        Assert.IsTrue(keys.All(k => k.SequenceEqual(keys[0])));
        var claims = new EdgeKv.Records.ActivationKeyClaims("ase1", "/r/ase1", "https://edgekv", "k1",
            DateTimeOffset.UtcNow.AddDays(1));
        string written = new EdgeKv.Records.ActivationKeyCodec(keys[1], TimeProvider.System).Write(claims);
        Assert.IsTrue(new EdgeKv.Records.ActivationKeyCodec(keys[2], TimeProvider.System).TryRead(written, out _,
            out _), "a key one host signs, another reads");
    }

    [TestMethod]
    public async Task Timer_status_written_by_one_host_is_read_by_another()
    {
        var writer = new ScheduleStatusStore(account.Container("timers"));
        var reader = new ScheduleStatusStore(account.Container("timers"));
        Assert.IsNull(await reader.ReadAsync("HealthSweep", CancellationToken.None));
        var status = new ScheduleStatus(new DateTime(2026, 11, 27, 12, 0, 0, DateTimeKind.Utc),
            new DateTime(2026, 11, 27, 12, 15, 0, DateTimeKind.Utc),
            new DateTime(2026, 11, 27, 12, 0, 1, DateTimeKind.Utc));
        await writer.WriteAsync("HealthSweep", status, CancellationToken.None);
        ScheduleStatus? read = await reader.ReadAsync("HealthSweep", CancellationToken.None);
        Assert.AreEqual(status, read);
    }
}
