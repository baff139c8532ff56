using System.Diagnostics;
using DurableTask.Core;
using EdgeKv.Durable.Sqlite;

namespace EdgeKv.Bench.Dtfx;

/// <summary>
/// The same three shapes on the Durable Task Framework (TaskHubWorker and TaskHubClient, plain DTFx task classes)
/// over EdgeKv's SQLite provider, on a fresh database: the figures that sit beside the old engine's in one run.
/// </summary>
internal static class DtfxBenchmark
{
    public static async Task<DurableBenchmarkResult> RunAsync(SqliteSynchronousMode synchronous,
        double rawCommitsPerSecond, WorkloadSizes sizes)
    {
        string label = $"DTFx + SQLite provider, synchronous={synchronous.ToString().ToUpperInvariant()}";
        string folder = Path.Combine(Path.GetTempPath(), $"edgekv-bench-dtfx-{Guid.NewGuid():N}");
        try
        {
            await using var service = new SqliteOrchestrationService(new SqliteOrchestrationServiceSettings
            {
                DatabasePath = Path.Combine(folder, "hub.db"),
                Synchronous = synchronous,
                MaxConcurrentOrchestrations = 1000,
                MaxConcurrentActivities = 100,
            });
            await service.CreateIfNotExistsAsync();
            var worker = new TaskHubWorker(service);
            worker.AddTaskOrchestrations(typeof(SequenceBenchOrchestration), typeof(FanOutBenchOrchestration));
            worker.AddTaskActivities(typeof(StepActivity));
            await worker.StartAsync();
            var client = new TaskHubClient(service);

            DurableBenchmarkResult result = await ShapeMeasurement.RunAsync(label, rawCommitsPerSecond, sizes,
                (fanOut, size) => RunOneAsync(client,
                    fanOut ? typeof(FanOutBenchOrchestration) : typeof(SequenceBenchOrchestration), size),
                (count, steps) => RunManyAsync(client, count, steps));
            await worker.StopAsync(isForced: true);
            return result;
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>
    /// One sequential chain of the given length on a fresh hub (after a short warm-up): activities per second.
    /// </summary>
    public static async Task<double> SequentialRateAsync(int length)
    {
        string folder = Path.Combine(Path.GetTempPath(), $"edgekv-bench-dtfx-{Guid.NewGuid():N}");
        try
        {
            await using var service = new SqliteOrchestrationService(new SqliteOrchestrationServiceSettings { DatabasePath = Path.Combine(folder, "hub.db") });
            await service.CreateIfNotExistsAsync();
            var worker = new TaskHubWorker(service);
            worker.AddTaskOrchestrations(typeof(SequenceBenchOrchestration));
            worker.AddTaskActivities(typeof(StepActivity));
            await worker.StartAsync();
            var client = new TaskHubClient(service);
            await WarmUp.RunAsync(() => RunOneAsync(client, typeof(SequenceBenchOrchestration), 100));
            TimeSpan elapsed = await RunOneAsync(client, typeof(SequenceBenchOrchestration), length);
            await worker.StopAsync(isForced: true);
            return length / elapsed.TotalSeconds;
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>
    /// One shape on a fresh hub under the sampling profiler (after a warm-up): where the CPU time of a step goes, and
    /// the process CPU per activity. <paramref name="shape"/> is sequential, fanout or many.
    /// </summary>
    public static async Task ProfileAsync(string shape, int size)
    {
        string folder = Path.Combine(Path.GetTempPath(), $"edgekv-bench-dtfx-{Guid.NewGuid():N}");
        try
        {
            await using var service = new SqliteOrchestrationService(new SqliteOrchestrationServiceSettings
            {
                DatabasePath = Path.Combine(folder, "hub.db"),
                MaxConcurrentOrchestrations = 1000,
                MaxConcurrentActivities = 100,
            });
            await service.CreateIfNotExistsAsync();
            var worker = new TaskHubWorker(service);
            worker.AddTaskOrchestrations(typeof(SequenceBenchOrchestration), typeof(FanOutBenchOrchestration));
            worker.AddTaskActivities(typeof(StepActivity));
            await worker.StartAsync();
            var client = new TaskHubClient(service);
            Func<Task> run = shape switch
            {
                "sequential" => () => RunOneAsync(client, typeof(SequenceBenchOrchestration), size),
                "fanout" => () => RunOneAsync(client, typeof(FanOutBenchOrchestration), size),
                _ => () => RunManyAsync(client, size, 5),
            };
            await WarmUp.RunAsync(run);
            int activities = shape == "many" ? size * 5 : size;
            TimeSpan cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            await run();
            Console.WriteLine($"{shape} {size} unprofiled: {watch.Elapsed.TotalSeconds:N2} s, {activities / watch.Elapsed.TotalSeconds:N0} activities/s, " +
                $"{(Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMicroseconds / activities:N0} µs CPU per activity");
            Console.WriteLine(await SamplingProfiler.ProfileAsync(run));
            await worker.StopAsync(isForced: true);
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    private static async Task<TimeSpan> RunOneAsync(TaskHubClient client, Type orchestration, int size)
    {
        var watch = Stopwatch.StartNew();
        OrchestrationInstance instance = await client.CreateOrchestrationInstanceAsync(orchestration, size);
        OrchestrationState done = await client.WaitForOrchestrationAsync(instance, TimeSpan.FromMinutes(10));
        if (done?.OrchestrationStatus != OrchestrationStatus.Completed) throw new InvalidOperationException($"{orchestration.Name} ended {done?.OrchestrationStatus}: {done?.Output}");
        return watch.Elapsed;
    }

    private static async Task<(TimeSpan Elapsed, List<TimeSpan> Latencies)> RunManyAsync(TaskHubClient client,
        int count, int steps)
    {
        var watch = Stopwatch.StartNew();
        var started = new List<OrchestrationInstance>(count);
        for (int i = 0; i < count; i++) started.Add(await client.CreateOrchestrationInstanceAsync(typeof(SequenceBenchOrchestration), steps));
        var latencies = new List<TimeSpan>(count);
        foreach (OrchestrationInstance instance in started)
        {
            OrchestrationState done = await client.WaitForOrchestrationAsync(instance, TimeSpan.FromMinutes(10));
            if (done?.OrchestrationStatus != OrchestrationStatus.Completed) throw new InvalidOperationException($"Sequence ended {done?.OrchestrationStatus}");
            latencies.Add(done.LastUpdatedTime - done.CreatedTime);
        }

        return (watch.Elapsed, latencies);
    }
}
