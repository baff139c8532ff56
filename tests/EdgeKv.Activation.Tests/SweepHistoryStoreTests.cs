using EdgeKv.Records;
using EdgeKv.Records.Alerts;
using EdgeKv.Records.Sweeps;
using EdgeKv.Tests.Shared;

namespace EdgeKv.Activation.Tests;

/// <summary>The sweep history: one record per sweep id, read in order, pruned by age and by count; the alert store's raised/resolved times.</summary>
[TestClass]
public sealed class SweepHistoryStoreTests
{
    [TestMethod]
    public async Task A_sweep_recorded_twice_under_its_id_is_kept_once()
    {
        using var folder = new TempDirectory("sweeps");
        var clock = new ManualTimeProvider();
        var store = new SweepHistoryStore(Options(folder), SweepRetention.Default, clock);
        SweepRecord sweep = Sweep("s1", clock.GetUtcNow(), checkedCount: 7);

        bool first = await store.RecordAsync(sweep);
        bool again = await store.RecordAsync(sweep with { Checked = 99 });

        Assert.IsTrue(first);
        Assert.IsFalse(again, "a retried write of the same sweep adds nothing");
        var all = await store.QueryPageAsync(null, null, 10);
        Assert.HasCount(1, all);
        Assert.AreEqual(sweep, all[0].Sweep);
        Assert.AreEqual(TimeSpan.FromSeconds(3).TotalSeconds, all[0].Sweep.DurationSeconds);
    }

    [TestMethod]
    public async Task Sweeps_page_in_the_order_they_were_recorded_from_a_position_and_a_start_time()
    {
        using var folder = new TempDirectory("sweeps");
        var clock = new ManualTimeProvider();
        var store = new SweepHistoryStore(Options(folder), SweepRetention.Default, clock);
        DateTimeOffset t0 = clock.GetUtcNow();
        foreach (int i in Enumerable.Range(0, 5)) await store.RecordAsync(Sweep($"s{i}", t0 + TimeSpan.FromMinutes(15 * i), i));

        var firstTwo = await store.QueryPageAsync(null, null, 2);
        var rest = await store.QueryPageAsync(null, firstTwo[^1].Position, 10);
        var since = await store.QueryPageAsync(t0 + TimeSpan.FromMinutes(30), null, 10);

        CollectionAssert.AreEqual(new[] { "s0", "s1" }, firstTwo.Select(r => r.Sweep.Id).ToArray());
        CollectionAssert.AreEqual(new[] { "s2", "s3", "s4" }, rest.Select(r => r.Sweep.Id).ToArray());
        CollectionAssert.AreEqual(new[] { "s2", "s3", "s4" }, since.Select(r => r.Sweep.Id).ToArray());
    }

    [TestMethod]
    public async Task Recording_a_sweep_prunes_those_older_than_the_retention_and_beyond_its_count()
    {
        using var folder = new TempDirectory("sweeps");
        var clock = new ManualTimeProvider();
        var store = new SweepHistoryStore(Options(folder), new SweepRetention(TimeSpan.FromDays(2), 3), clock);
        DateTimeOffset t0 = clock.GetUtcNow();
        await store.RecordAsync(Sweep("old", t0, 1));
        clock.Advance(TimeSpan.FromDays(2) + TimeSpan.FromMinutes(1));
        await store.RecordAsync(Sweep("a", clock.GetUtcNow(), 2));
        CollectionAssert.AreEqual(new[] { "a" }, (await store.QueryPageAsync(null, null, 10)).Select(r => r.Sweep.Id).ToArray(), "older than two days");

        foreach (string id in new[] { "b", "c", "d" })
        {
            clock.Advance(TimeSpan.FromMinutes(15));
            await store.RecordAsync(Sweep(id, clock.GetUtcNow(), 3));
        }

        CollectionAssert.AreEqual(new[] { "b", "c", "d" }, (await store.QueryPageAsync(null, null, 10)).Select(r => r.Sweep.Id).ToArray(), "the latest three");
    }

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

    private static SweepRecord Sweep(string id, DateTimeOffset started, int checkedCount) =>
        new(id, "health-sweep", "test", started, started + TimeSpan.FromSeconds(3), 1, checkedCount, 0, 1, 0, 1, 0);
}
