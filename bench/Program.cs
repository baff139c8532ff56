using EdgeKv.Bench;
using EdgeKv.Bench.Sweep;

// Fleet overview load time in Chromium: dotnet run -c Release --project bench -- dashboard [10000]
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

// Health sweep benchmark: dotnet run -c Release --project bench -- sweep [1000,10000]
if (args.Length > 0 && args[0] == "sweep")
{
    int[] counts = args.Length > 1 ? [.. args[1].Split(',').Select(int.Parse)] : [1000, 10000];
    Console.WriteLine($"EdgeKv health sweep benchmark — {Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
    Console.WriteLine("| resources | seeding | sweep (median of 3) | fastest / slowest | per 1,000 | checked | faults | managed heap / working set after |");
    Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    foreach (int count in counts)
    {
        var r = await SweepBenchmark.RunAsync(count);
        Console.WriteLine($"| {r.Resources:N0} | {r.Seed.TotalSeconds:F1} s | {r.Sweep.TotalSeconds:F2} s | {r.Fastest.TotalSeconds:F2} / {r.Slowest.TotalSeconds:F2} s | " +
            $"{r.Sweep.TotalSeconds * 1000 / r.Resources:F2} s | {r.Checked:N0} | {r.Faults} | {r.ManagedHeapBytes / 1048576.0:N0} / {r.WorkingSetBytes / 1048576.0:N0} MiB |");
    }

    return;
}

// Durable runtime benchmark: raw commit rate, then the three workload shapes of the issue, on SQLite at both
// durability settings and, with --postgres "<connection string>", on a PostgreSQL hub.
// Usage: dotnet run -c Release --project bench [-- --quick] [--postgres "Host=...;Username=...;Database=..."]
bool quick = args.Contains("--quick");
int postgresAt = Array.IndexOf(args, "--postgres");
string? postgres = postgresAt >= 0 && postgresAt + 1 < args.Length ? args[postgresAt + 1] : null;
var sizes = new WorkloadSizes(
    Sequential: quick ? 200 : 1000,
    FanOut: quick ? 200 : 1000,
    Orchestrations: quick ? 100 : 500,
    StepsPerOrchestration: 5);

Console.WriteLine($"EdgeKv durable runtime benchmark — {Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
Console.WriteLine();
var results = new List<DurableBenchmarkResult>();
var stores = new List<BenchStore>
{
    new SqliteBenchStore(EdgeKv.Durable.Storage.Sqlite.SqliteDurability.Normal),
    new SqliteBenchStore(EdgeKv.Durable.Storage.Sqlite.SqliteDurability.Full),
};
if (postgres is not null) stores.Add(new PostgresBenchStore(postgres));
foreach (BenchStore store in stores)
{
    results.Add(await DurableBenchmark.RunAsync(store, sizes));
}

Console.WriteLine(DurableBenchmarkReport.ToMarkdown(results, sizes));
