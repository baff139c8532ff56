using EdgeKv.Records;
using EdgeKv.Records.Alerts;
using EdgeKv.Tests.Support;

namespace EdgeKv.Records.Tests;

/// <summary>
/// What the sweep history chart reads beside the sweeps (<see cref="SweepHistoryStoreContract"/>): the alert store's
/// raised/resolved times.
/// </summary>
[TestClass]
public sealed class SweepHistoryStoreTests
{
    [TestMethod]
    public async Task The_alert_store_lists_when_alerts_changed_since_a_time()
    {
        using var folder = new TempDirectory("sweeps");
        var clock = new ManualTimeProvider();
        using var alerts = new AlertStore(Options(folder), clock);
        await alerts.RaiseAsync(new AlertObservation("early", AlertKind.VaultLockMissing, "x"));
        clock.Advance(TimeSpan.FromHours(3));
        DateTimeOffset since = clock.GetUtcNow();
        await alerts.RaiseAsync(new AlertObservation("late", AlertKind.VaultLockMissing, "x"));
        clock.Advance(TimeSpan.FromMinutes(10));
        await alerts.ResolveAsync("early", [AlertKind.VaultLockMissing]);

        IReadOnlyList<AlertTimes> changed = await alerts.ChangedSinceAsync(since);

        CollectionAssert.AreEqual(new[] { "early", "late" }, changed.Select(c => c.Resource).ToArray());
        Assert.AreEqual(since + TimeSpan.FromMinutes(10), changed[0].ResolvedAt, "raised before, resolved after");
        Assert.AreEqual(since, changed[1].RaisedAt);
        Assert.IsNull(changed[1].ResolvedAt);
    }

    private static ResourceStoreOptions Options(TempDirectory folder) => new(Path.Combine(folder.Path, "EdgeKv.db"));
}
