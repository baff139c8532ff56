using EdgeKv.Bench;
using EdgeKv.Bench.Sweep;

// Fleet overview load time in Chromium: dotnet run -c Release --project tools/bench -- dashboard [10000]
if (args.Length > 0 && args[0] == "dashboard")
{
    int count = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10_000;
    var (shown, idle, fastest, slowest) = await EdgeKv.Bench.Dashboard.DashboardBenchmark.RunAsync(count);
    Console.WriteLine($"EdgeKv dashboard benchmark — {Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
    Console.WriteLine("| resources | table and counts shown (median of 5) | fastest / slowest | network idle (median) |");
    Console.WriteLine("| ---: | ---: | ---: | ---: |");
    Console.WriteLine($"| {count:N0} | {shown:F0} ms | {fastest:F0} / {slowest:F0} ms | {idle:F0} ms |");
    return;
}

// Rotating one key distributed to N vaults: dotnet run -c Release --project tools/bench -- rotate [100] [hsm|software]
// [--profile]
if (args.Length > 0 && args[0] == "rotate")
{
    string[] rotateArgs = [.. args.Skip(1).Where(a => a != "--profile")];
    int vaults = rotateArgs.Length > 0 ? int.Parse(rotateArgs[0],
        System.Globalization.CultureInfo.InvariantCulture) : 100;
    string protection = rotateArgs.Length > 1 ? rotateArgs[1] : "hsm";
    Console.WriteLine($"EdgeKv key rotation benchmark — {Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, load average {EdgeKv.Bench.Keys.KeyRotationBenchmark.LoadAverage()}");
    var rotation = await EdgeKv.Bench.Keys.KeyRotationBenchmark.RunAsync(vaults, protection,
        args.Contains("--profile"));
    Console.WriteLine($"finished {DateTime.UtcNow:HH:mm} UTC");
    Console.WriteLine(EdgeKv.Bench.Keys.KeyRotationReport.ToMarkdown(rotation));
    return;
}

// Health sweep benchmark: dotnet run -c Release --project tools/bench -- sweep [1000,10000]
// On the shared store (hub and EdgeKv's stores in Azurite, as several hosts run): ... -- sweep-shared [10000]
// Both stores, one after the other in one run: ... -- sweep-both [10000]
if (args.Length > 0 && args[0] is "sweep" or "sweep-shared" or "sweep-both")
{
    using EdgeKv.Tests.Support.AzuriteProcess? azurite = args[0] != "sweep"
        ? await EdgeKv.Tests.Support.AzuriteProcess.StartAsync() ?? throw new InvalidOperationException("Azurite is not installed (.ci/install puts it under .tools/azurite).")
        : null;
    int[] counts = args.Length > 1 ? [.. args[1].Split(',').Select(int.Parse)] : [1000, 10000];
    string?[] sweepStores = args[0] switch { "sweep" => [null], "sweep-shared" => [azurite!.ConnectionString],
        _ => [null, azurite!.ConnectionString] };
    Console.WriteLine($"EdgeKv health sweep benchmark — {Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, load average {LoadAverage()}");
    var rows = new List<SweepBenchmarkResult>();
    foreach (int count in counts)
    {
        foreach (string? store in sweepStores)
        {
            rows.Add(await SweepBenchmark.RunAsync(count, store));
            Console.Error.WriteLine($"  done {rows[^1].Store} {count:N0} at {DateTime.UtcNow:HH:mm:ss} UTC, load average {LoadAverage()}");
        }
    }

    Console.WriteLine($"finished {DateTime.UtcNow:HH:mm} UTC, load average {LoadAverage()}");
    Console.WriteLine("| store | resources | seeding | first sweep | ARM reads, first sweep | steady sweep, pages of 200 (median of 3) | fastest / slowest | ARM reads per sweep | per 1,000 resources | per resource | data-plane reads | per-vault reads due | checked | faults | steady, pages of 1,000, the default (median of 3; ARM reads) | managed heap / working set after |");
    Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    foreach (SweepBenchmarkResult r in rows)
    {
        Console.WriteLine($"| {r.Store} | {r.Resources:N0} | {r.Seed.TotalSeconds:F1} s | {r.First.TotalSeconds:F2} s | {r.FirstArmReads:N0} ({(double)r.FirstArmReads / r.Resources:F3} per resource) | " +
            $"{r.Sweep.TotalSeconds:F2} s | {r.Fastest.TotalSeconds:F2} / {r.Slowest.TotalSeconds:F2} s | {r.ArmReads:N0} | {r.ArmReads * 1000.0 / r.Resources:F2} | {(double)r.ArmReads / r.Resources:F4} | " +
            $"{r.DataPlaneReads:N0} | {r.ReadsDue:N0} | {r.Checked:N0} | {r.Faults} | {r.LargePagesSweep.TotalSeconds:F2} s ({r.LargePagesArmReads:N0}) | {r.ManagedHeapBytes / 1048576.0:N0} / {r.WorkingSetBytes / 1048576.0:N0} MiB |");
    }

    return;
}

// Sequential chains of several lengths on the DTFx provider (per-step cost as history grows):
// dotnet run -c Release --project tools/bench -- dtfx-sequential 200,1000,2000
if (args.Length > 0 && args[0] == "dtfx-sequential")
{
    foreach (int length in args[1].Split(',').Select(int.Parse))
    {
        double rate = await EdgeKv.Bench.Dtfx.DtfxBenchmark.SequentialRateAsync(length);
        Console.WriteLine($"sequential {length}: {rate:N0} activities/s");
    }

    return;
}

// The same through the SDK and EdgeKv's bridges (what the hosts run), on the SQLite provider at NORMAL:
// dotnet run -c Release --project tools/bench -- profile-sdk sequential|fanout|many [size]
if (args.Length > 1 && args[0] == "profile-sdk")
{
    int size = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 1000;
    await DurableBenchmark.ProfileAsync(new SqliteBenchStore("Normal"), args[1], size);
    return;
}

// Where a shape's CPU goes on the DTFx + SQLite provider (EventPipe sampling of this process):
// dotnet run -c Release --project tools/bench -- profile sequential|fanout|many [size]
if (args.Length > 1 && args[0] == "profile")
{
    int size = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 1000;
    await EdgeKv.Bench.Dtfx.DtfxBenchmark.ProfileAsync(args[1], size);
    return;
}

// Durable engine benchmark: raw commit rate, then the three workload shapes of the issue, on the Durable Task Framework
// (the SDK's shims) over the SQLite provider at both durability settings and, with --azure-storage "<connection
// string>" (Azurite), over Microsoft's Azure Storage provider in the same run.
// Usage: dotnet run -c Release --project tools/bench [-- --quick] [--azurite | --azure-storage
// "DefaultEndpointsProtocol=http;AccountName=...;..."] (--azurite starts the Azurite that .ci/install put under
// .tools/azurite, on free ports, for this run.)
bool quick = args.Contains("--quick");
int azureAt = Array.IndexOf(args, "--azure-storage");
using EdgeKv.Tests.Support.AzuriteProcess? ownAzurite = args.Contains("--azurite")
    ? await EdgeKv.Tests.Support.AzuriteProcess.StartAsync() ?? throw new InvalidOperationException("Azurite is not installed (.ci/install puts it under .tools/azurite).")
    : null;
string? azureStorage = azureAt >= 0 && azureAt + 1 < args.Length ? args[azureAt + 1] : ownAzurite?.ConnectionString;
var sizes = new WorkloadSizes(
    Sequential: quick ? 200 : 1000,
    FanOut: quick ? 200 : 1000,
    Orchestrations: quick ? 100 : 500,
    StepsPerOrchestration: 5);

Console.WriteLine($"EdgeKv durable engine benchmark (Durable Task Framework) — {Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, load average {LoadAverage()}");
Console.WriteLine();
var results = new List<DurableBenchmarkResult>();
var stores = new List<BenchStore>
{
    new SqliteBenchStore("Normal"),
    new SqliteBenchStore("Full"),
};
if (azureStorage is not null) stores.Add(new AzureStorageBenchStore(azureStorage));

// The SDK on the Durable Task Framework through EdgeKv's bridges (what the hosts run), on each store.
foreach (BenchStore store in stores)
{
    results.Add(await DurableBenchmark.RunAsync(store, sizes));
}

// The Durable Task Framework alone (its own TaskOrchestration classes, no SDK shims) over EdgeKv's SQLite provider, in
// the same run (same raw commit probe, same shapes): what the bridges cost.
foreach (EdgeKv.Durable.Sqlite.SqliteSynchronousMode mode in new[] { EdgeKv.Durable.Sqlite.SqliteSynchronousMode.Normal,
    EdgeKv.Durable.Sqlite.SqliteSynchronousMode.Full })
{
    string rawFolder = Path.Combine(Path.GetTempPath(), $"edgekv-bench-raw-{Guid.NewGuid():N}");
    Directory.CreateDirectory(rawFolder);
    var probe = new SqliteBenchStore(mode.ToString());
    double raw = await probe.RawCommitRateAsync(rawFolder);
    Directory.Delete(rawFolder, recursive: true);
    results.Add(await EdgeKv.Bench.Dtfx.DtfxBenchmark.RunAsync(mode, raw, sizes));
}

Console.WriteLine($"finished {DateTime.UtcNow:HH:mm} UTC, load average {LoadAverage()}");
Console.WriteLine(DurableBenchmarkReport.ToMarkdown(results, sizes));
if (results.Find(r => r.Store.Contains("Azure Storage",
    StringComparison.Ordinal)) is { } azure) Console.WriteLine(DurableBenchmarkReport.Ratios(results, azure));

// The machine's 1-minute load average (shared machines: figures of a loaded run are not comparable with an idle one).
static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";
