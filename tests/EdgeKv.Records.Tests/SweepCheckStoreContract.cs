using EdgeKv.Records.Sweeps;

namespace EdgeKv.Records.Tests;

/// <summary>
/// The sweep's memory between sweeps: states read back as saved, by name without case; a save and an event's mark each
/// keep the other's part; run on SQLite (<see cref="SqliteSweepCheckStoreContractTests"/>) and on Table storage in
/// Azurite (<see cref="TableSweepCheckStoreContractTests"/>).
/// </summary>
public abstract class SweepCheckStoreContract
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    protected abstract SweepCheckStore OpenStore();

    [TestMethod]
    public async Task States_read_back_as_saved_by_name_without_case_and_only_those_asked_for()
    {
        SweepCheckStore store = OpenStore();
        var a = new SweepCheckState("ase-a", "F00D", T0, T0.AddHours(5), ReadsFaulty: false);
        var b = new SweepCheckState("ase-b", null, T0, T0.AddHours(24), ReadsFaulty: true);
        await store.SaveAsync([a, b, new SweepCheckState("ase-c", "C", T0, T0, false)]);

        var read = await store.GetAsync(["ASE-A", "ase-b", "ase-missing"]);

        Assert.HasCount(2, read);
        Assert.AreEqual(a, read["ase-a"]);
        Assert.AreEqual(b, read["ASE-B"]);
        Assert.IsEmpty(await store.GetAsync([]));
    }

    [TestMethod]
    public async Task A_mark_survives_the_next_save_and_a_save_keeps_the_mark()
    {
        SweepCheckStore store = OpenStore();
        await store.MarkDirtyAsync("ase-new", T0);
        Assert.AreEqual(new SweepCheckState("ase-new", null, null, null, false, T0),
            (await store.GetAsync(["ase-new"]))["ase-new"], "a mark alone makes a state");

        await store.SaveAsync([new SweepCheckState("ase-new", "AB", T0.AddMinutes(1), T0.AddDays(1), false)]);
        Assert.AreEqual(new SweepCheckState("ase-new", "AB", T0.AddMinutes(1), T0.AddDays(1), false, T0),
            (await store.GetAsync(["ase-new"]))["ase-new"]);

        await store.MarkDirtyAsync("ase-new", T0.AddMinutes(2));
        await store.SaveAsync([new SweepCheckState("ase-new", null, T0.AddMinutes(3), T0.AddDays(1), true)]);
        Assert.AreEqual(new SweepCheckState("ase-new", null, T0.AddMinutes(3), T0.AddDays(1), true, T0.AddMinutes(2)),
            (await store.GetAsync(["ase-new"]))["ase-new"]);
    }

    [TestMethod]
    public async Task A_page_of_several_hundred_states_is_saved_and_read_in_one_go()
    {
        SweepCheckStore store = OpenStore();
        var states = Enumerable.Range(0,
            250).Select(i => new SweepCheckState($"ase{i:D4}", $"F{i}", T0, T0.AddMinutes(i), i % 7 == 0)).ToList();
        await store.SaveAsync(states);

        var read = await store.GetAsync([.. states.Select(s => s.Name)]);

        Assert.HasCount(250, read);
        foreach (SweepCheckState state in states) Assert.AreEqual(state, read[state.Name]);
    }
}
