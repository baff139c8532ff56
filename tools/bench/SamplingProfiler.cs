using System.Diagnostics.Tracing;
using System.Text;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Etlx;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace EdgeKv.Bench;

/// <summary>
/// Where the CPU time goes (dotnet-trace is not installed here): the runtime's sample profiler over EventPipe on this
/// process while a workload runs, then the samples of threads that were running (not waiting) grouped by the leaf
/// frame's assembly area and by method, exclusive and inclusive.
/// </summary>
internal static class SamplingProfiler
{
    private static readonly string[] WaitFrames =
    [
        "LowLevelLifoSemaphore", "WaitHandle.Wait", "Monitor.Wait", "Thread.Sleep", "WaitOneCore", "SemaphoreSlim.Wait",
        "ManualResetEventSlim.Wait", "SocketAsyncEngine.EventLoop", "GateThread", "TimerQueue.TimerThread",
        "LowLevelMonitor",
        "WaitForSignal", "SpinWait", "EventPipe", "DiagnosticServer", "WaitSubsystem",
        "Interop+Sys.WaitForSocketEvents",
    ];

    public static async Task<string> ProfileAsync(Func<Task> work, int top = 45)
    {
        var client = new DiagnosticsClient(Environment.ProcessId);
        EventPipeProvider[] providers =
        [
            new("Microsoft-DotNETCore-SampleProfiler", EventLevel.Informational),
            new("Microsoft-Windows-DotNETRuntime", EventLevel.Verbose,
                (long)(ClrTraceEventParser.Keywords.Jit | ClrTraceEventParser.Keywords.Loader | ClrTraceEventParser.Keywords.JitTracing | ClrTraceEventParser.Keywords.GC)),
        ];
        string path = Path.Combine(Path.GetTempPath(), $"edgekv-profile-{Guid.NewGuid():N}.nettrace");
        using (EventPipeSession session = client.StartEventPipeSession(providers, requestRundown: true,
            circularBufferMB: 512))
        {
            Task copy = Task.Run(async () =>
            {
                await using FileStream file = File.Create(path);
                await session.EventStream.CopyToAsync(file);
            });
            await work();
            await session.StopAsync(CancellationToken.None);
            await copy;
        }

        string etlx = TraceLog.CreateFromEventPipeDataFile(path);
        var exclusive = new Dictionary<string, int>(StringComparer.Ordinal);
        var inclusive = new Dictionary<string, int>(StringComparer.Ordinal);
        var areas = new Dictionary<string, int>(StringComparer.Ordinal);
        var allocations = new Dictionary<string, long>(StringComparer.Ordinal);
        long allocated = 0;
        int running = 0, all = 0;
        using (var log = new TraceLog(etlx))
        {
            foreach (TraceEvent e in log.Events)
            {
                // About every 100 KB allocated: the type and the allocating stack, by the first frame outside the
                // runtime.
                if (e is GCAllocationTickTraceData tick)
                {
                    allocated += tick.AllocationAmount64;
                    var owner = new List<string>();
                    for (TraceCallStack? s = tick.CallStack(); s is not null && owner.Count < 4; s = s.Caller)
                    {
                        string frame = Name(s.CodeAddress);
                        if (!frame.StartsWith("System.",
                            StringComparison.Ordinal) && !frame.StartsWith('?')) owner.Add(frame.Length > 90 ? frame[..90] : frame);
                    }

                    string key = tick.TypeName + "  <-  " + string.Join(" <- ", owner.Take(2));
                    allocations[key] = allocations.GetValueOrDefault(key) + tick.AllocationAmount64;
                    continue;
                }

                if (e.ProviderName != "Microsoft-DotNETCore-SampleProfiler") continue;
                TraceCallStack? stack = e.CallStack();
                if (stack is null) continue;
                all++;
                var frames = new List<string>();
                for (TraceCallStack? s = stack; s is not null; s = s.Caller) frames.Add(Name(s.CodeAddress));
                if (frames.Exists(f => WaitFrames.Any(w => f.Contains(w, StringComparison.Ordinal)))) continue;
                // A pool thread with nothing to run shows as its start frame alone (the native wait below is not
                // named).
                if (frames.Count <= 3 && frames[0].Contains("WorkerThreadStart", StringComparison.Ordinal)) continue;
                running++;
                string leaf = frames.Find(f => !f.StartsWith('?')) ?? frames[0];
                exclusive[leaf] = exclusive.GetValueOrDefault(leaf) + 1;
                string area = Area(frames);
                areas[area] = areas.GetValueOrDefault(area) + 1;
                foreach (string frame in frames.Distinct()) inclusive[frame] = inclusive.GetValueOrDefault(frame) + 1;
            }
        }

        File.Delete(path);
        File.Delete(etlx);
        var report = new StringBuilder();
        report.AppendLine(System.FormattableString.Invariant($"{running} running samples of {all} (1 ms each, all threads)"));
        report.AppendLine("-- by area of the first frame that is EdgeKv's, the framework's or a library's:");
        foreach ((string name,
            int count) in areas.OrderByDescending(kv => kv.Value)) report.AppendLine(System.FormattableString.Invariant($"{100.0 * count / running,6:F1} %  {name}"));
        report.AppendLine("-- exclusive (leaf):");
        foreach ((string name,
            int count) in exclusive.OrderByDescending(kv => kv.Value).Take(top)) report.AppendLine(System.FormattableString.Invariant($"{100.0 * count / running,6:F1} %  {name}"));
        report.AppendLine(System.FormattableString.Invariant($"-- allocations (sampled every ~100 KB; {allocated / 1048576.0:N0} MiB in all), by type and allocating frames:"));
        foreach ((string name,
            long bytes) in allocations.OrderByDescending(kv => kv.Value).Take(top)) report.AppendLine(System.FormattableString.Invariant($"{100.0 * bytes / Math.Max(1, allocated),6:F1} %  {name}"));
        report.AppendLine("-- inclusive:");
        foreach ((string name,
            int count) in inclusive.OrderByDescending(kv => kv.Value).Take(top * 2)) report.AppendLine(System.FormattableString.Invariant($"{100.0 * count / running,6:F1} %  {name}"));
        return report.ToString();
    }

    private static string Name(TraceCodeAddress address)
    {
        string method = address.FullMethodName;
        if (!string.IsNullOrEmpty(method)) return method.Length > 160 ? method[..160] : method;
        return "?" + (address.ModuleName ?? "native");
    }

    /// <summary>The area a sample's time belongs to: the innermost frame from a known assembly family.</summary>
    private static string Area(List<string> frames)
    {
        foreach (string f in frames)
        {
            if (f.StartsWith("Newtonsoft", StringComparison.Ordinal)) return "Newtonsoft.Json";
            if (f.StartsWith("Microsoft.Data.Sqlite", StringComparison.Ordinal) || f.StartsWith("SQLitePCL",
                StringComparison.Ordinal) || f.StartsWith("?e_sqlite3", StringComparison.Ordinal)) return "SQLite";
            if (f.StartsWith("EdgeKv.Durable.Sqlite", StringComparison.Ordinal)) return "EdgeKv SQLite provider";
            if (f.StartsWith("DurableTask.Core", StringComparison.Ordinal)) return "DurableTask.Core";
            if (f.StartsWith("Microsoft.DurableTask", StringComparison.Ordinal)) return "Durable Task SDK";
            if (f.StartsWith("EdgeKv", StringComparison.Ordinal)) return "EdgeKv other";
        }

        return "runtime / other: " + frames[0];
    }
}
