namespace EdgeKv.Emulator.Hosting;

/// <summary>
/// The match timeout of the emulator's route and action patterns: a guard against pathological input, not a latency
/// budget. The patterns are fixed and the paths short, yet with 1 s a GC pause or a starved thread under heavy load
/// (10,000 vaults on 2 busy cores) made plain paths time out, answering 500s that the SDKs retried.
/// </summary>
internal static class PatternTimeout
{
    public static readonly TimeSpan Value = TimeSpan.FromSeconds(10);
}
