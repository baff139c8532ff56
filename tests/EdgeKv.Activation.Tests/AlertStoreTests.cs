using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using EdgeKv.Records;
using EdgeKv.Records.Alerts;
using EdgeKv.Tests.Shared;

namespace EdgeKv.Activation.Tests;

/// <summary>Alerts: one active alert per resource and kind, updated when seen again, resolved when a sweep no longer sees it, and counted in metrics.</summary>
[TestClass]
public sealed class AlertStoreTests
{
    [TestMethod]
    public async Task A_fault_seen_again_updates_its_alert_and_a_sweep_that_no_longer_sees_it_resolves_it()
    {
        using var folder = new TempDirectory("alerts");
        var clock = new ManualTimeProvider();
        using var store = new AlertStore(new ResourceStoreOptions(Path.Combine(folder.Path, "EdgeKv.db")), clock);

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
        using var folder = new TempDirectory("alerts");
        using var store = new AlertStore(new ResourceStoreOptions(Path.Combine(folder.Path, "EdgeKv.db")), new ManualTimeProvider());

        await store.RaiseAsync(new AlertObservation("metrics-ase", AlertKind.ChannelIntegrityKeyMissing, "no CIK"));
        await store.RaiseAsync(new AlertObservation("metrics-ase", AlertKind.ChannelIntegrityKeyMissing, "no CIK, again"));
        await store.ResolveAsync("metrics-ase", [AlertKind.ChannelIntegrityKeyMissing]);

        var mine = changes.Where(c => c.Kind == nameof(AlertKind.ChannelIntegrityKeyMissing)).ToList();
        Assert.AreEqual(1, mine.Count(c => c.Change == "Raised" && c.Severity == "Error"), "raised once; seeing it again is an update, not counted");
        Assert.AreEqual(1, mine.Count(c => c.Change == "Resolved"));
    }

    private static async Task<IReadOnlyList<Alert>> QueryAsync(AlertStore store, string? resource, AlertSeverity? severity, AlertState? state) =>
        [.. (await store.QueryPageAsync(resource, severity, state, after: null, limit: 1000)).Select(row => row.Alert)];
}
