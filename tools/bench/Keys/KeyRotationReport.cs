using System.Globalization;
using System.Text;

namespace EdgeKv.Bench.Keys;

/// <summary>The key rotation benchmark's figures as the Markdown tables of tools/bench/README.md.</summary>
internal static class KeyRotationReport
{
    public static string ToMarkdown(KeyRotationResult r)
    {
        ArgumentNullException.ThrowIfNull(r);
        KeyRotationRun m = r.Median;
        int total = m.Calls.Values.Sum();
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"setup (untimed): {r.Vaults} vaults made, key created and distributed to each ({r.Protection}), every vault checked: {r.Setup.TotalSeconds:F1} s");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"warm-up rotation (version {r.WarmUp.Version}): {r.WarmUp.Elapsed.TotalSeconds:F2} s, {r.WarmUp.Calls.Values.Sum()} Azure calls");
        text.AppendLine(CultureInfo.InvariantCulture, $"timed rotations: {string.Join(", ", r.Runs.Select(x => $"v{x.Version} {x.Elapsed.TotalSeconds:F2} s / CPU {x.Cpu.TotalSeconds:F2} s / {x.Calls.Values.Sum()} calls"))}");
        text.AppendLine();
        text.AppendLine("| vaults | protection | rotation (median of 3) | fastest / slowest | per vault | process CPU (median run) | CPU per vault | Azure calls | per vault | load average before / after (1/5/15 min) |");
        text.AppendLine("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        var sorted = r.Runs.OrderBy(x => x.Elapsed).ToList();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"| {r.Vaults} | {r.Protection} | {m.Elapsed.TotalSeconds:F2} s | {sorted[0].Elapsed.TotalSeconds:F2} / {sorted[^1].Elapsed.TotalSeconds:F2} s | " +
            $"{m.Elapsed.TotalMilliseconds / r.Vaults:F1} ms | {m.Cpu.TotalSeconds:F2} s | {m.Cpu.TotalMilliseconds / r.Vaults:F1} ms | {total} | {(double)total / r.Vaults:F2} | {r.LoadBefore} → {r.LoadAfter} |");
        text.AppendLine();
        text.AppendLine("Azure calls of the median rotation, from the emulator's request log:");
        text.AppendLine();
        text.AppendLine("| plane | call | count | per vault |");
        text.AppendLine("| --- | --- | ---: | ---: |");
        foreach (var (kind, count) in m.Calls.OrderBy(c => AzureCallKind.PlaneOf(c.Key),
            StringComparer.Ordinal).ThenByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal))
        {
            string plane = AzureCallKind.PlaneOf(kind);
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {plane} | `{kind[(plane.Length + 1)..]}` | {count} | {(double)count / r.Vaults:F2} |");
        }

        foreach (var group in m.Calls.GroupBy(c => AzureCallKind.PlaneOf(c.Key)).OrderBy(g => g.Key,
            StringComparer.Ordinal))
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {group.Key} | **all** | {group.Sum(c => c.Value)} | {(double)group.Sum(c => c.Value) / r.Vaults:F2} |");
        }

        return text.ToString();
    }
}
