using EdgeKv.Records.Sweeps;
using EdgeKv.Tests.Support;

namespace EdgeKv.Records.Tests;

/// <summary>
/// The sweep history: one record per sweep id, read in order, pruned by age and by count, however many hosts write; run
/// on SQLite (<see cref="SqliteSweepHistoryStoreContractTests"/>) and on Table storage in Azurite (<see
/// cref="TableSweepHistoryStoreContractTests"/>). <see cref="OpenStore"/> opens another instance on the test's store.
/// </summary>
public abstract class SweepHistoryStoreContract
{
    protected abstract SweepHistoryStore OpenStore(SweepRetention retention, TimeProvider time);

    [TestMethod]
    public async Task A_sweep_recorded_twice_under_its_id_is_kept_once()
    {
        var clock = new ManualTimeProvider();
        SweepHistoryStore store = OpenStore(SweepRetention.Default, clock);
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
    public async Task A_sweeps_reads_of_Azure_are_kept_with_it()
    {
        var clock = new ManualTimeProvider();
        SweepHistoryStore store = OpenStore(SweepRetention.Default, clock);
        SweepRecord sweep = Sweep("reads", clock.GetUtcNow(), checkedCount: 10_000) with { ArmReads = 12,
            DataPlaneReads = 208 };

        await store.RecordAsync(sweep);

        Assert.AreEqual(sweep, (await store.QueryPageAsync(null, null, 10)).Single().Sweep);
    }

    [TestMethod]
    public async Task Sweeps_page_in_the_order_they_were_recorded_from_a_position_and_a_start_time()
    {
        var clock = new ManualTimeProvider();
        SweepHistoryStore store = OpenStore(SweepRetention.Default, clock);
        DateTimeOffset t0 = clock.GetUtcNow();
        foreach (int i in Enumerable.Range(0, 5)) await store.RecordAsync(Sweep($"s{i}",
            t0 + TimeSpan.FromMinutes(15 * i), i));

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
        var clock = new ManualTimeProvider();
        SweepHistoryStore store = OpenStore(new SweepRetention(TimeSpan.FromDays(2), 3), clock);
        DateTimeOffset t0 = clock.GetUtcNow();
        await store.RecordAsync(Sweep("old", t0, 1));
        clock.Advance(TimeSpan.FromDays(2) + TimeSpan.FromMinutes(1));
        await store.RecordAsync(Sweep("a", clock.GetUtcNow(), 2));
        CollectionAssert.AreEqual(new[] { "a" },
            (await store.QueryPageAsync(null, null, 10)).Select(r => r.Sweep.Id).ToArray(), "older than two days");

        foreach (string id in new[] { "b", "c", "d" })
        {
            clock.Advance(TimeSpan.FromMinutes(15));
            await store.RecordAsync(Sweep(id, clock.GetUtcNow(), 3));
        }

        CollectionAssert.AreEqual(new[] { "b", "c", "d" },
            (await store.QueryPageAsync(null, null, 10)).Select(r => r.Sweep.Id).ToArray(), "the latest three");
        Assert.IsTrue(await store.RecordAsync(Sweep("a", clock.GetUtcNow(), 2)),
            "a pruned sweep leaves no trace of its id");
    }

    [TestMethod]
    public async Task Hosts_racing_to_record_the_same_sweep_keep_one_record_and_one_of_them_adds_it()
    {
        const int hosts = 6;
        var clock = new ManualTimeProvider();
        SweepHistoryStore[] stores = [.. Enumerable.Range(0,
            hosts).Select(_ => OpenStore(SweepRetention.Default, clock))];
        SweepRecord sweep = Sweep("raced", clock.GetUtcNow(), 12);

        bool[] added = await Task.WhenAll(stores.Select(s => s.RecordAsync(sweep)));

        Assert.AreEqual(1, added.Count(a => a), "exactly one host added it");
        var all = await stores[0].QueryPageAsync(null, null, 10);
        Assert.HasCount(1, all);
        Assert.AreEqual(sweep, all[0].Sweep);
    }

    [TestMethod]
    public async Task Hosts_racing_to_record_different_sweeps_keep_every_one_at_its_own_position()
    {
        const int hosts = 6;
        var clock = new ManualTimeProvider();
        SweepHistoryStore[] stores = [.. Enumerable.Range(0,
            hosts).Select(_ => OpenStore(SweepRetention.Default, clock))];

        bool[] added = await Task.WhenAll(stores.Select((s,
            i) => s.RecordAsync(Sweep($"host{i}", clock.GetUtcNow(), i))));

        Assert.IsTrue(added.All(a => a));
        var all = await stores[1].QueryPageAsync(null, null, 100);
        CollectionAssert.AreEquivalent(Enumerable.Range(0, hosts).Select(i => $"host{i}").ToArray(),
            all.Select(r => r.Sweep.Id).ToArray());
        Assert.AreEqual(hosts, all.Select(r => r.Position).Distinct().Count(), "no position taken twice");
        Assert.IsTrue(all.Zip(all.Skip(1)).All(p => p.First.Position < p.Second.Position), "read in position order");
    }

    private static SweepRecord Sweep(string id, DateTimeOffset started, int checkedCount) =>
        new(id, "health-sweep", "test", started, started + TimeSpan.FromSeconds(3), 1, checkedCount, 0, 1, 0, 1, 0);
}
