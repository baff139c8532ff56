// Runs a ten-step orchestration on the task hub in args[0], recording side effects under args[1].
// Each step calls a plain activity (appends a line: at least once) and an idempotent one (writes a marker
// once per step: exactly once). Prints "step N" as steps finish so the test knows when to kill it.
using EdgeKv.Durable;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

string dataPath = args[0];
string effects = args[1];
const string InstanceId = "crash-chain";
const int Steps = 10;

HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
builder.Logging.AddFilter(_ => false);
builder.Services.AddDurableTask(dataPath, r => r
    .AddActivityFunc<int, int>("AppendStep", async (ctx, step) =>
    {
        await Task.Delay(150, ctx.CancellationToken);
        await File.AppendAllTextAsync(Path.Combine(effects, "appended.log"), $"{step}\n", ctx.CancellationToken);
        return step;
    })
    .AddActivityFunc<int, int>("MarkStepOnce", (ctx, step) =>
    {
        // Idempotent: keyed by the call's identity, so a re-run after a crash writes nothing new.
        string marker = Path.Combine(effects, $"marker-{ctx.InstanceId}-{step}");
        if (!File.Exists(marker))
        {
            File.AppendAllText(Path.Combine(effects, "marked.log"), $"{step}\n");
            File.WriteAllText(marker, string.Empty);
        }

        return Task.FromResult(step);
    })
    .AddOrchestratorFunc<object?, int>("CrashChain", async (ctx, _) =>
    {
        for (int step = 1; step <= Steps; step++)
        {
            await ctx.CallActivityAsync<int>("AppendStep", step);
            await ctx.CallActivityAsync<int>("MarkStepOnce", step);
            if (!ctx.IsReplaying) Console.WriteLine($"step {step}");
        }

        return Steps;
    }));
builder.Services.Configure<DurableTaskOptions>(o =>
{
    o.WorkItemLease = TimeSpan.FromSeconds(2); // a killed worker's leases expire quickly
    o.MaxPollingInterval = TimeSpan.FromMilliseconds(200);
});

using IHost host = builder.Build();
await host.StartAsync();
DurableTaskClient client = host.Services.GetRequiredService<DurableTaskClient>();
try
{
    await client.ScheduleNewOrchestrationInstanceAsync("CrashChain", null, new StartOrchestrationOptions(InstanceId));
}
catch (OrchestrationInstanceExistsException)
{
    // A restarted worker picks up the instance the killed one left behind.
}

OrchestrationMetadata done = await client.WaitForInstanceCompletionAsync(InstanceId);
Console.WriteLine($"finished {done.RuntimeStatus}");
await host.StopAsync();
return done.RuntimeStatus == OrchestrationRuntimeStatus.Completed ? 0 : 1;
