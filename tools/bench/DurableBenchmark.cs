using System.Diagnostics;
using EdgeKv.Durable.Hosting;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeKv.Bench;

/// <summary>
/// Runs the raw commit probe and the three workloads against a fresh task hub of the store under test.
/// </summary>
internal static class DurableBenchmark
{
    public static async Task<DurableBenchmarkResult> RunAsync(BenchStore store, WorkloadSizes sizes)
    {
        string folder = Path.Combine(Path.GetTempPath(), $"edgekv-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            string label = store.Label;
            double raw = await store.RawCommitRateAsync(folder);
            Console.WriteLine($"[{label}] raw commits/s: {raw:N0}");

            using IHost host = await StartHostAsync(store, folder);
            DurableTaskClient client = host.Services.GetRequiredService<DurableTaskClient>();

            DurableBenchmarkResult result = await ShapeMeasurement.RunAsync(label, raw, sizes,
                (fanOut, size) => RunOneAsync(client, fanOut ? "FanOut" : "Sequence", size),
                (count, steps) => RunManyAsync(client, count, steps));
            await host.StopAsync();
            return result;
        }
        finally
        {
            await store.CleanupAsync();
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>
    /// One shape on a fresh hub of the store, through the SDK and EdgeKv's bridges, under the sampling profiler (after
    /// a warm-up): where the CPU of what EdgeKv runs goes. <paramref name="shape"/> is sequential, fanout or many.
    /// </summary>
    public static async Task ProfileAsync(BenchStore store, string shape, int size)
    {
        string folder = Path.Combine(Path.GetTempPath(), $"edgekv-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            using IHost host = await StartHostAsync(store, folder);
            DurableTaskClient client = host.Services.GetRequiredService<DurableTaskClient>();
            Func<Task> run = shape switch
            {
                "sequential" => () => RunOneAsync(client, "Sequence", size),
                "fanout" => () => RunOneAsync(client, "FanOut", size),
                _ => () => RunManyAsync(client, size, 5),
            };
            await WarmUp.RunAsync(run);
            int activities = shape == "many" ? size * 5 : size;
            TimeSpan cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var watch = Stopwatch.StartNew();
            await run();
            Console.WriteLine($"SDK {shape} {size} unprofiled: {watch.Elapsed.TotalSeconds:N2} s, {activities / watch.Elapsed.TotalSeconds:N0} activities/s, " +
                $"{(Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMicroseconds / activities:N0} µs CPU and " +
                $"{(GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / 1024.0 / activities:N1} KiB allocated per activity");
            Console.WriteLine(await SamplingProfiler.ProfileAsync(run));
            await host.StopAsync();
        }
        finally
        {
            await store.CleanupAsync();
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>
    /// The local host's durable set-up (SDK worker and client over DTFx and the store's provider) with the bench's
    /// tasks.
    /// </summary>
    private static async Task<IHost> StartHostAsync(BenchStore store, string folder)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.AddFilter(_ => false);
        builder.Configuration.AddInMemoryCollection(store.Settings);
        builder.Services.AddDurableTaskHub(builder.Configuration, folder, r => r
            .AddActivityFunc<int, int>("Step", (_, n) => Task.FromResult(n + 1))
            .AddOrchestratorFunc<int, int>("Sequence", async (ctx, count) =>
            {
                int value = 0;
                for (int i = 0; i < count; i++) value = await ctx.CallActivityAsync<int>("Step", value);
                return value;
            })
            .AddOrchestratorFunc<int, int>("FanOut", async (ctx, count) =>
            {
                int[] results = await Task.WhenAll(Enumerable.Range(0,
                    count).Select(i => ctx.CallActivityAsync<int>("Step", i)));
                return results.Length;
            }));
        IHost host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private static async Task<TimeSpan> RunOneAsync(DurableTaskClient client, string name, int size)
    {
        var watch = Stopwatch.StartNew();
        string id = await client.ScheduleNewOrchestrationInstanceAsync(name, size);
        OrchestrationMetadata done = await client.WaitForInstanceCompletionAsync(id);
        if (done.RuntimeStatus != OrchestrationRuntimeStatus.Completed) throw new InvalidOperationException($"{name} ended {done.RuntimeStatus}: {done.FailureDetails?.ErrorMessage}");
        return watch.Elapsed;
    }

    private static async Task<(TimeSpan Elapsed, List<TimeSpan> Latencies)> RunManyAsync(DurableTaskClient client,
        int count, int steps)
    {
        var watch = Stopwatch.StartNew();
        var started = new List<(string Id, TimeSpan At)>(count);
        for (int i = 0; i < count; i++) started.Add((await client.ScheduleNewOrchestrationInstanceAsync("Sequence",
            steps), watch.Elapsed));
        var latencies = new List<TimeSpan>(count);
        foreach ((string id, TimeSpan at) in started)
        {
            OrchestrationMetadata done = await client.WaitForInstanceCompletionAsync(id);
            if (done.RuntimeStatus != OrchestrationRuntimeStatus.Completed) throw new InvalidOperationException($"Sequence ended {done.RuntimeStatus}");
            latencies.Add(done.LastUpdatedAt - done.CreatedAt);
        }

        return (watch.Elapsed, latencies);
    }
}
