using System.Diagnostics;

namespace EdgeKv.Bench;

/// <summary>
/// Runs a warm-up pass of every shape again and again for a few seconds before anything is measured. One pass was not
/// enough: .NET's tiered compilation first runs new code unoptimized and promotes the hot methods only after they have
/// been called for a while (in the background, on the same two cores), and a 1,000-step chain measured right after one
/// short pass used twice the CPU per step of the same chain with tiering off (1,873 against 856 µs).
/// </summary>
internal static class WarmUp
{
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(8);

    public static async Task RunAsync(Func<Task> pass)
    {
        var elapsed = Stopwatch.StartNew();
        do
        {
            await pass();
        }
        while (elapsed.Elapsed < Duration);
    }
}
