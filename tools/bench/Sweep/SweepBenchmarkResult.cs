namespace EdgeKv.Bench.Sweep;

/// <summary>
/// One size of the sweep benchmark on one store: seeding time; the first sweep (every resource's per-vault reads run,
/// as after an upgrade or for a new fleet) with its reads; the median steady sweep and the spread of the three timed
/// after it, with the median's reads (Resource Manager and data plane, every attempt, as the sweep's summary counts
/// them) and how many resources had their per-vault reads due; the median of three steady sweeps with pages of 1,000
/// and its reads; what the last sweep saw, and memory afterwards (the managed heap after a full collection, and the
/// process working set, which holds host, emulator and every client in this one process).
/// </summary>
internal sealed record SweepBenchmarkResult(
    string Store, int Resources, TimeSpan Seed, TimeSpan First, long FirstArmReads, long FirstDataPlaneReads,
    TimeSpan Sweep, TimeSpan Fastest, TimeSpan Slowest,
    long ArmReads, long DataPlaneReads, int ReadsDue, int Checked, int Faults, long ManagedHeapBytes,
    long WorkingSetBytes, TimeSpan LargePagesSweep, long LargePagesArmReads);
