using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using EdgeKv.Records.Alerts;
using EdgeKv.Tests.Support;

namespace EdgeKv.Records.Tests;

/// <summary>
/// Alerts: one active alert per resource and kind, updated when seen again, resolved when a sweep no longer sees it, and
/// counted in metrics; run on SQLite (<see cref="SqliteAlertStoreContractTests"/>) and on Table storage in Azurite
/// (<see cref="TableAlertStoreContractTests"/>). <see cref="OpenStore"/> opens another instance on the test's store.
/// </summary>
public abstract class AlertStoreContract
{
    protected abstract AlertStore OpenStore(TimeProvider time);

    [TestMethod]
    public async Task A_fault_seen_again_updates_its_alert_and_a_sweep_that_no_longer_sees_it_resolves_it()
    {
        var clock = new ManualTimeProvider();
        using AlertStore store = OpenStore(clock);

        IReadOnlyList<AlertChange> first = await store.ApplySweepAsync(["ase1", "ase2"],
            [new AlertObservation("ase1", AlertKind.VaultLockMissing, "no lock"), new AlertObservation("ase2", AlertKind.VaultDeleted, "gone")]);
        clock.Advance(TimeSpan.FromMinutes(5));
        IReadOnlyList<AlertChange> second = await store.ApplySweepAsync(["ase1", "ase2"], [new AlertObservation("ase1", AlertKind.VaultLockMissing, "still no lock")]);

        CollectionAssert.AreEquivalent(new[] { AlertChangeKind.Raised, AlertChangeKind.Raised }, first.Select(c => c.Change).ToArray());
        CollectionAssert.AreEquivalent(new[] { AlertChangeKind.Updated, AlertChangeKind.Resolved }, second.Select(c => c.Change).ToArray());
        Alert lockAlert = (await QueryAsync(store, "ase1", null, AlertState.Active)).Single();
        Assert.AreEqual(2, lockAlert.Occurrences);
        Assert.AreEqual("still no lock", lockAlert.Finding);
        Assert.AreEqual(TimeSpan.FromMinutes(5), lockAlert.LastSeen - lockAlert.FirstSeen);
        Assert.AreEqual(AlertSeverity.Warning, lockAlert.Severity);
        Alert deleted = (await QueryAsync(store, "ase2", null, null)).Single();
        Assert.AreEqual(AlertState.Resolved, deleted.State);
        Assert.AreEqual(AlertSeverity.Critical, deleted.Severity);
        Assert.IsEmpty(await QueryAsync(store, null, AlertSeverity.Critical, AlertState.Active));
    }

    [TestMethod]
    public async Task Raised_and_resolved_alerts_are_counted_by_kind_and_severity()
    {
        var changes = new ConcurrentBag<(string Change, string Kind, string Severity)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == AlertMetrics.MeterName && instrument.Name == "edgekv.alerts.changes") l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            var t = tags.ToArray().ToDictionary(x => x.Key, x => x.Value?.ToString());
            changes.Add((t["change"]!, t["kind"]!, t["severity"]!));
        });
        listener.Start();
        using AlertStore store = OpenStore(new ManualTimeProvider());

        await store.RaiseAsync(new AlertObservation("metrics-ase", AlertKind.ChannelIntegrityKeyMissing, "no CIK"));
        await store.RaiseAsync(new AlertObservation("metrics-ase", AlertKind.ChannelIntegrityKeyMissing, "no CIK, again"));
        await store.ResolveAsync("metrics-ase", [AlertKind.ChannelIntegrityKeyMissing]);

        var mine = changes.Where(c => c.Kind == nameof(AlertKind.ChannelIntegrityKeyMissing)).ToList();
        Assert.AreEqual(1, mine.Count(c => c.Change == "Raised" && c.Severity == "Error"), "raised once; seeing it again is an update, not counted");
        Assert.AreEqual(1, mine.Count(c => c.Change == "Resolved"));
    }

    [TestMethod]
    public async Task Pages_follow_the_order_alerts_were_raised_and_filter_by_resource_severity_and_state()
    {
        using AlertStore store = OpenStore(new ManualTimeProvider());
        for (int i = 0; i < 7; i++) await store.RaiseAsync(new AlertObservation($"ase{i}", i % 2 == 0 ? AlertKind.VaultDeleted : AlertKind.VaultLockMissing, "found"));
        await store.ResolveAsync("ase0", [AlertKind.VaultDeleted]);

        var walked = new List<(long Position, Alert Alert)>();
        long? after = null;
        while (true)
        {
            IReadOnlyList<(long Position, Alert Alert)> page = await store.QueryPageAsync(null, null, null, after, 3);
            walked.AddRange(page);
            if (page.Count < 3) break;
            after = page[^1].Position;
        }

        CollectionAssert.AreEqual(Enumerable.Range(0, 7).Select(i => $"ase{i}").ToList(), walked.Select(w => w.Alert.Resource).ToList());
        Assert.IsTrue(walked.Zip(walked.Skip(1)).All(p => p.First.Position < p.Second.Position));
        CollectionAssert.AreEqual(new[] { "ase2", "ase4", "ase6" }, (await QueryAsync(store, null, AlertSeverity.Critical, AlertState.Active)).Select(a => a.Resource).ToArray());
        Assert.AreEqual(AlertState.Resolved, (await QueryAsync(store, "ASE0", null, null)).Single().State);
    }

    [TestMethod]
    public async Task Racing_raises_from_separate_stores_leave_one_active_alert_counting_every_sighting()
    {
        const int hosts = 8;
        AlertStore[] stores = [.. Enumerable.Range(0, hosts).Select(_ => OpenStore(TimeProvider.System))];
        try
        {
            AlertChange[] changes = await Task.WhenAll(stores.Select(s => s.RaiseAsync(new AlertObservation("ase1", AlertKind.VaultDeleted, "vault gone"))));
            Assert.AreEqual(1, changes.Count(c => c.Change == AlertChangeKind.Raised));
            Assert.AreEqual(1, changes.Select(c => c.AlertId).Distinct().Count(), "every host saw the same alert");
            Alert alert = (await QueryAsync(stores[0], "ase1", null, null)).Single();
            Assert.AreEqual(hosts, alert.Occurrences);

            await Task.WhenAll(stores.Select(s => s.ResolveAsync("ase1", [AlertKind.VaultDeleted])));
            Assert.AreEqual(AlertState.Resolved, (await QueryAsync(stores[1], "ase1", null, null)).Single().State);
            await stores[2].RaiseAsync(new AlertObservation("ase1", AlertKind.VaultDeleted, "gone again"));
            Assert.HasCount(1, await QueryAsync(stores[3], "ase1", null, AlertState.Active), "a new alert after the resolved one");
        }
        finally
        {
            foreach (AlertStore s in stores) s.Dispose();
        }
    }

    private static async Task<IReadOnlyList<Alert>> QueryAsync(AlertStore store, string? resource, AlertSeverity? severity, AlertState? state) =>
        [.. (await store.QueryPageAsync(resource, severity, state, after: null, limit: 1000)).Select(row => row.Alert)];
}
