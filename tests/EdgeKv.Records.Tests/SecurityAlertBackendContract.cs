using EdgeKv.Records.Security;

namespace EdgeKv.Records.Tests;

/// <summary>
/// What every home of the security alerts must do, run on security.db (<see cref="SqliteSecurityAlertsContractTests"/>)
/// and on Table storage in Azurite (<see cref="TableSecurityAlertsContractTests"/>). <see cref="Open"/> opens another
/// instance on the same test's store, as another host would.
/// </summary>
public abstract class SecurityAlertBackendContract
{
    private static readonly DateTimeOffset At = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    protected abstract SecurityAlertBackend Open();

    [TestMethod]
    public async Task Alerts_are_numbered_in_order_and_listed_per_resource_in_any_case()
    {
        SecurityAlertBackend alerts = Open();
        SecurityAlert? first = await alerts.AppendAsync(At, "UnexpectedAccessPolicy", "ase-one", "p1", "one", once: false, CancellationToken.None);
        SecurityAlert? second = await alerts.AppendAsync(At.AddMinutes(1), "SelfGrantedDataAccess", "ase-two", null, "two", once: false, CancellationToken.None);
        SecurityAlert? third = await alerts.AppendAsync(At.AddMinutes(2), "UnexpectedAccessPolicy", "ASE-ONE", "p2", "three", once: false, CancellationToken.None);

        Assert.IsTrue(first!.Sequence < second!.Sequence && second.Sequence < third!.Sequence);
        CollectionAssert.AreEqual(new[] { "one", "two", "three" }, (await Open().ListAsync(null, CancellationToken.None)).Select(a => a.Message).ToArray());
        IReadOnlyList<SecurityAlert> one = await Open().ListAsync("Ase-One", CancellationToken.None);
        CollectionAssert.AreEqual(new[] { "one", "three" }, one.Select(a => a.Message).ToArray());
        Assert.AreEqual(At, one[0].Time);
        Assert.AreEqual("p1", one[0].Principal);
        Assert.AreEqual(0, (await Open().ListAsync("ase-none", CancellationToken.None)).Count);
    }

    [TestMethod]
    public async Task An_alert_raised_once_is_raised_once_per_kind_resource_and_principal()
    {
        SecurityAlertBackend alerts = Open();
        Assert.IsNotNull(await alerts.AppendAsync(At, "UnexpectedAccessPolicy", "ase-one", "p1", "first", once: true, CancellationToken.None));
        Assert.IsNull(await Open().AppendAsync(At, "UnexpectedAccessPolicy", "ASE-ONE", "p1", "again", once: true, CancellationToken.None));
        Assert.IsNotNull(await alerts.AppendAsync(At, "UnexpectedAccessPolicy", "ase-one", "p2", "other principal", once: true, CancellationToken.None));
        Assert.IsNotNull(await alerts.AppendAsync(At, "UnexpectedAccessPolicy", "ase-one", "p1", "not once", once: false, CancellationToken.None));

        CollectionAssert.AreEqual(new[] { "first", "other principal", "not once" },
            (await alerts.ListAsync("ase-one", CancellationToken.None)).Select(a => a.Message).ToArray());
    }

    [TestMethod]
    public async Task Writers_on_two_hosts_lose_no_alert_and_raise_a_once_alert_once()
    {
        SecurityAlertBackend[] hosts = [Open(), Open()];
        SecurityAlert?[] plain = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            hosts[i % 2].AppendAsync(At, "Kind", "ase-race", $"p{i}", $"alert {i}", once: false, CancellationToken.None)));
        SecurityAlert?[] raced = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            hosts[i % 2].AppendAsync(At, "Once", "ase-race", "same", $"once {i}", once: true, CancellationToken.None)));

        Assert.AreEqual(20, plain.Select(a => a!.Sequence).Distinct().Count(), "every alert its own number");
        Assert.AreEqual(1, raced.Count(a => a is not null), "the once alert is raised by exactly one writer");
        IReadOnlyList<SecurityAlert> listed = await Open().ListAsync("ase-race", CancellationToken.None);
        Assert.AreEqual(21, listed.Count);
        CollectionAssert.AreEqual(listed.Select(a => a.Sequence).Order().ToArray(), listed.Select(a => a.Sequence).ToArray(), "listed in sequence order");
    }
}
