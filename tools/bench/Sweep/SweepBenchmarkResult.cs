namespace EdgeKv.Bench.Sweep;

/// <summary>
/// One size of the sweep benchmark: seeding time, the median sweep and the spread of the three timed sweeps, what the
/// last sweep saw, and memory afterwards (the managed heap after a full collection, and the process working set, which
/// holds host, emulator and every client in this one process).
/// </summary>
internal sealed record SweepBenchmarkResult(
    int Resources, TimeSpan Seed, TimeSpan Sweep, TimeSpan Fastest, TimeSpan Slowest, int Checked, int Faults, long ManagedHeapBytes, long WorkingSetBytes);
