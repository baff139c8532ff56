using EdgeKv.Bench;

// Durable runtime benchmark: raw SQLite commit rate, then the three workload shapes of the issue, at both
// durability settings. Usage: dotnet run -c Release --project bench [-- --quick]
bool quick = args.Contains("--quick");
var sizes = new WorkloadSizes(
    Sequential: quick ? 200 : 1000,
    FanOut: quick ? 200 : 1000,
    Orchestrations: quick ? 100 : 500,
    StepsPerOrchestration: 5);

Console.WriteLine($"EdgeKv durable runtime benchmark — {Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
Console.WriteLine();
var results = new List<DurableBenchmarkResult>();
foreach (var durability in new[] { EdgeKv.Durable.Storage.Sqlite.SqliteDurability.Normal, EdgeKv.Durable.Storage.Sqlite.SqliteDurability.Full })
{
    results.Add(await DurableBenchmark.RunAsync(durability, sizes));
}

Console.WriteLine(DurableBenchmarkReport.ToMarkdown(results, sizes));
