namespace EdgeKv.Bench.Keys;

/// <summary>
/// One timed rotation: the version it made, its wall time (from the rotate request to the flow's completion, when every
/// vault holds the version as current), the process CPU it took (host, emulator and clients share this process), and
/// the Azure requests the emulator served meanwhile, by kind (<see cref="AzureCallKind"/>).
/// </summary>
internal sealed record KeyRotationRun(int Version, TimeSpan Elapsed, TimeSpan Cpu,
    IReadOnlyDictionary<string, int> Calls);
