using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using EdgeKv.Records.Alerts;
using EdgeKv.Tests.Support;

namespace EdgeKv.Records.Tests;

/// <summary>
/// Alerts: one active alert per resource, kind and principal, updated when seen again, resolved when a sweep no longer
/// sees it (of the kinds a sweep checks only), resolved by id, imported once, and counted in metrics; run on SQLite
/// (<see cref="SqliteAlertStoreContractTests"/>) and on Table storage in Azurite (<see
/// cref="TableAlertStoreContractTests"/>). <see cref="OpenStore"/> opens another instance on the test's store.
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
            [new AlertObservation("ase1", AlertKind.VaultLockMissing, "no lock"),
                new AlertObservation("ase2", AlertKind.VaultDeleted, "gone")]);
        clock.Advance(TimeSpan.FromMinutes(5));
        IReadOnlyList<AlertChange> second = await store.ApplySweepAsync(["ase1", "ase2"],
            [new AlertObservation("ase1", AlertKind.VaultLockMissing, "still no lock")]);

        CollectionAssert.AreEquivalent(new[] { AlertChangeKind.Raised, AlertChangeKind.Raised },
            first.Select(c => c.Change).ToArray());
        CollectionAssert.AreEquivalent(new[] { AlertChangeKind.Updated, AlertChangeKind.Resolved },
            second.Select(c => c.Change).ToArray());
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
        await store.RaiseAsync(new AlertObservation("metrics-ase", AlertKind.ChannelIntegrityKeyMissing,
            "no CIK, again"));
        await store.ResolveAsync("metrics-ase", [AlertKind.ChannelIntegrityKeyMissing]);

        var mine = changes.Where(c => c.Kind == nameof(AlertKind.ChannelIntegrityKeyMissing)).ToList();
        Assert.AreEqual(1, mine.Count(c => c.Change == "Raised" && c.Severity == "Error"),
            "raised once; seeing it again is an update, not counted");
        Assert.AreEqual(1, mine.Count(c => c.Change == "Resolved"));
    }

    [TestMethod]
    public async Task Pages_follow_the_order_alerts_were_raised_and_filter_by_resource_severity_and_state()
    {
        using AlertStore store = OpenStore(new ManualTimeProvider());
        for (int i = 0; i < 7; i++) await store.RaiseAsync(new AlertObservation($"ase{i}",
            i % 2 == 0 ? AlertKind.VaultDeleted : AlertKind.VaultLockMissing, "found"));
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

        CollectionAssert.AreEqual(Enumerable.Range(0, 7).Select(i => $"ase{i}").ToList(),
            walked.Select(w => w.Alert.Resource).ToList());
        Assert.IsTrue(walked.Zip(walked.Skip(1)).All(p => p.First.Position < p.Second.Position));
        CollectionAssert.AreEqual(new[] { "ase2", "ase4", "ase6" },
            (await QueryAsync(store, null, AlertSeverity.Critical,
                AlertState.Active)).Select(a => a.Resource).ToArray());
        Assert.AreEqual(AlertState.Resolved, (await QueryAsync(store, "ASE0", null, null)).Single().State);
    }

    [TestMethod]
    public async Task Racing_raises_from_separate_stores_leave_one_active_alert_counting_every_sighting()
    {
        const int hosts = 8;
        AlertStore[] stores = [.. Enumerable.Range(0, hosts).Select(_ => OpenStore(TimeProvider.System))];
        try
        {
            AlertChange[] changes = await Task.WhenAll(stores.Select(s => s.RaiseAsync(new AlertObservation("ase1",
                AlertKind.VaultDeleted, "vault gone"))));
            Assert.AreEqual(1, changes.Count(c => c.Change == AlertChangeKind.Raised));
            Assert.AreEqual(1, changes.Select(c => c.AlertId).Distinct().Count(), "every host saw the same alert");
            Alert alert = (await QueryAsync(stores[0], "ase1", null, null)).Single();
            Assert.AreEqual(hosts, alert.Occurrences);

            await Task.WhenAll(stores.Select(s => s.ResolveAsync("ase1", [AlertKind.VaultDeleted])));
            Assert.AreEqual(AlertState.Resolved, (await QueryAsync(stores[1], "ase1", null, null)).Single().State);
            await stores[2].RaiseAsync(new AlertObservation("ase1", AlertKind.VaultDeleted, "gone again"));
            Assert.HasCount(1, await QueryAsync(stores[3], "ase1", null, AlertState.Active),
                "a new alert after the resolved one");
        }
        finally
        {
            foreach (AlertStore s in stores) s.Dispose();
        }
    }

    private const string P1 = "0b1d0c1a-0000-4000-8000-0000000000a1";
    private const string P2 = "0b1d0c1a-0000-4000-8000-0000000000a2";

    [TestMethod]
    public async Task Each_principal_has_its_own_active_alert_of_a_kind_on_a_resource()
    {
        using AlertStore store = OpenStore(new ManualTimeProvider());
        AlertChange one = await store.RaiseAsync(new AlertObservation("ase1", AlertKind.AccessPolicyNotGrantedByEdgeKv,
            "p1 on the vault", P1));
        AlertChange two = await store.RaiseAsync(new AlertObservation("ase1", AlertKind.AccessPolicyNotGrantedByEdgeKv,
            "p2 on the vault", P2));
        AlertChange again = await store.RaiseAsync(new AlertObservation("ASE1",
            AlertKind.AccessPolicyNotGrantedByEdgeKv, "p1 still on it", P1.ToUpperInvariant()));
        AlertChange none = await store.RaiseAsync(new AlertObservation("ase1", AlertKind.AccessPolicyNotGrantedByEdgeKv,
            "about no one"));

        Assert.AreEqual((AlertChangeKind.Raised, AlertChangeKind.Raised, AlertChangeKind.Updated,
            AlertChangeKind.Raised), (one.Change, two.Change, again.Change, none.Change));
        Assert.AreEqual(one.AlertId, again.AlertId, "the principal compares without case");
        IReadOnlyList<Alert> active = await QueryAsync(store, "ase1", null, AlertState.Active);
        CollectionAssert.AreEquivalent(new[] { P1, P2, null }, active.Select(a => a.Principal).ToArray());
        Assert.AreEqual(2, active.Single(a => a.Principal == P1).Occurrences);
        Assert.IsTrue(active.All(a => a.Category == AlertCategory.Security));

        IReadOnlyList<AlertChange> resolved = await store.ResolveAsync("ase1",
            [AlertKind.AccessPolicyNotGrantedByEdgeKv], P2);
        Assert.AreEqual(P2, resolved.Single().Principal, "only that principal's");
        Assert.HasCount(2, await QueryAsync(store, "ase1", null, AlertState.Active));
        Assert.HasCount(2, await store.ResolveAsync("ase1", [AlertKind.AccessPolicyNotGrantedByEdgeKv]),
            "without a principal: every one of the kind");
        Assert.IsEmpty(await QueryAsync(store, "ase1", null, AlertState.Active));
    }

    [TestMethod]
    public async Task A_sweep_resolves_the_principals_it_no_longer_sees_and_never_a_kind_it_does_not_check()
    {
        using AlertStore store = OpenStore(new ManualTimeProvider());
        await store.RaiseAsync(new AlertObservation("ase1", AlertKind.AccessPolicyNotGrantedByEdgeKv,
            "one alert for the vault, from before principals"));
        await store.RaiseAsync(new AlertObservation("ase1", AlertKind.SelfGrantedDataPlaneAccess, "p1 granted itself",
            P1));
        await store.RaiseAsync(new AlertObservation("/", AlertKind.SelfGrantedDataPlaneAccess, "p2 granted itself at /",
            P2));

        IReadOnlyList<AlertChange> sweep = await store.ApplySweepAsync(["ase1", "/"],
        [
            new AlertObservation("ase1", AlertKind.AccessPolicyNotGrantedByEdgeKv, "p1", P1),
            new AlertObservation("ase1", AlertKind.AccessPolicyNotGrantedByEdgeKv, "p2", P2),
        ]);
        Assert.AreEqual(2, sweep.Count(c => c.Change == AlertChangeKind.Raised));
        Assert.IsNull(sweep.Single(c => c.Change == AlertChangeKind.Resolved).Principal,
            "the per-vault alert gives way to the per-principal ones");

        IReadOnlyList<AlertChange> next = await store.ApplySweepAsync(["ase1", "/"],
            [new AlertObservation("ase1", AlertKind.AccessPolicyNotGrantedByEdgeKv, "p1", P1)]);
        Assert.AreEqual(P2, next.Single(c => c.Change == AlertChangeKind.Resolved).Principal);
        IReadOnlyList<Alert> selfGrants = [.. (await QueryAsync(store, null, null,
            AlertState.Active)).Where(a => a.Kind == AlertKind.SelfGrantedDataPlaneAccess)];
        Assert.HasCount(2, selfGrants, "a sweep never resolves a kind it does not check");
        Assert.IsFalse(AlertKinds.SweepObserved.Contains(AlertKind.SelfGrantedDataPlaneAccess));

        IReadOnlyList<AlertChange> check = await store.ApplyCheckAsync(["ase1"],
            [AlertKind.AccessPolicyNotGrantedByEdgeKv], []);
        Assert.AreEqual(P1, check.Single().Principal, "a check of one kind resolves that kind alone");
        Assert.HasCount(2, await QueryAsync(store, null, null, AlertState.Active));
    }

    [TestMethod]
    public async Task Racing_raises_for_two_principals_from_separate_stores_leave_one_active_alert_each()
    {
        const int hosts = 6;
        AlertStore[] stores = [.. Enumerable.Range(0, hosts).Select(_ => OpenStore(TimeProvider.System))];
        try
        {
            AlertChange[] changes = await Task.WhenAll(stores.SelectMany(s => new[] { P1, P2 }.Select(p =>
                s.RaiseAsync(new AlertObservation("ase-race", AlertKind.SelfGrantedDataPlaneAccess, "granted itself",
                    p)))));
            Assert.AreEqual(2, changes.Count(c => c.Change == AlertChangeKind.Raised));
            IReadOnlyList<Alert> active = await QueryAsync(stores[0], "ase-race", null, AlertState.Active);
            CollectionAssert.AreEquivalent(new[] { P1, P2 }, active.Select(a => a.Principal).ToArray());
            Assert.IsTrue(active.All(a => a.Occurrences == hosts), "every sighting counted on its principal's alert");
        }
        finally
        {
            foreach (AlertStore s in stores) s.Dispose();
        }
    }

    [TestMethod]
    public async Task An_alert_is_found_and_resolved_by_its_id_and_pages_filter_by_category()
    {
        using AlertStore store = OpenStore(new ManualTimeProvider());
        AlertChange grant = await store.RaiseAsync(new AlertObservation("ase1", AlertKind.SelfGrantedDataPlaneAccess,
            "granted itself", P1));
        await store.RaiseAsync(new AlertObservation("ase1", AlertKind.VaultLockMissing, "no lock"));

        Alert? found = await store.GetAsync(grant.AlertId);
        Assert.IsNotNull(found);
        Assert.AreEqual((AlertKind.SelfGrantedDataPlaneAccess, P1, AlertSeverity.Critical, AlertCategory.Security),
            (found.Kind, found.Principal, found.Severity, found.Category));
        Assert.IsNull(await store.GetAsync("no-such-alert"));
        Assert.IsNull(await store.GetAsync(new string('a', 3000)), "an id longer than any EdgeKv gives");
        Assert.IsNull(await store.GetAsync("' or Id ne '"), "a filter's text is not an id");
        Assert.IsNull(await store.ResolveByIdAsync("no-such-alert"));
        Assert.AreEqual(AlertState.Resolved, (await store.ResolveByIdAsync(grant.AlertId))!.State);
        Alert again = (await store.ResolveByIdAsync(grant.AlertId))!;
        Assert.AreEqual(AlertState.Resolved, again.State, "resolving it again leaves it as it is");

        CollectionAssert.AreEqual(new[] { AlertKind.SelfGrantedDataPlaneAccess },
            (await store.QueryPageAsync(null, null, null, null, 100,
                AlertCategory.Security)).Select(r => r.Alert.Kind).ToArray());
        CollectionAssert.AreEqual(new[] { AlertKind.VaultLockMissing },
            (await store.QueryPageAsync(null, null, null, null, 100,
                AlertCategory.Health)).Select(r => r.Alert.Kind).ToArray());
    }

    [TestMethod]
    public async Task An_imported_alert_is_written_once_and_never_a_second_active_one()
    {
        using AlertStore store = OpenStore(new ManualTimeProvider());
        DateTimeOffset at = DateTimeOffset.Parse("2026-01-01T00:00:00Z",
            System.Globalization.CultureInfo.InvariantCulture);
        Alert old = new("security-7", "ase1", AlertKind.SelfGrantedDataPlaneAccess, AlertSeverity.Critical,
            AlertState.Active, "granted itself",
            AlertKinds.HealingFor(AlertKind.SelfGrantedDataPlaneAccess, "ase1"), at, at, null, 1, P1);
        AlertChange live = await store.RaiseAsync(new AlertObservation("ase1", AlertKind.SelfGrantedDataPlaneAccess,
            "granted itself now", P2));

        Assert.IsTrue(await store.ImportAsync(old));
        Assert.IsFalse(await store.ImportAsync(old));
        Assert.IsTrue(await store.ImportAsync(old with { Id = "security-8", Principal = P2 }));

        Alert imported = (await store.GetAsync("security-7"))!;
        Assert.AreEqual((AlertState.Active, P1, at, "granted itself"),
            (imported.State, imported.Principal, imported.FirstSeen, imported.Finding));
        Assert.AreEqual(AlertState.Resolved, (await store.GetAsync("security-8"))!.State,
            "its principal had an active alert already");
        Assert.AreEqual(AlertState.Active, (await store.GetAsync(live.AlertId))!.State);
        Assert.AreEqual(AlertChangeKind.Updated,
            (await store.RaiseAsync(new AlertObservation("ase1", AlertKind.SelfGrantedDataPlaneAccess, "again",
                P1))).Change, "the imported alert is the active one");
    }

    private static async Task<IReadOnlyList<Alert>> QueryAsync(AlertStore store, string? resource,
        AlertSeverity? severity, AlertState? state) =>
        [.. (await store.QueryPageAsync(resource, severity, state, after: null, limit: 1000)).Select(row => row.Alert)];
}
