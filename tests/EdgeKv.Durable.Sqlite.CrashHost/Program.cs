// Runs a ten-step chain on the SQLite task hub at args[0], recording side effects under args[1], leasing work as
// owner args[2] for args[3] seconds. Each step calls a plain activity (appends a line: at least once) and an
// idempotent one (writes a marker once per step: exactly once). Prints "step N" as steps finish so the test knows
// when to kill it, and "finished <status>" at the end.
using System.Globalization;
using DurableTask.Core;
using DurableTask.Core.Exceptions;
using EdgeKv.Durable.Sqlite;
using EdgeKv.Durable.Sqlite.CrashHost;

const string InstanceId = "crash-chain";
CrashChainOrchestration.EffectsFolder = args[1];

await using var service = new SqliteOrchestrationService(new SqliteOrchestrationServiceSettings
{
    DatabasePath = args[0],
    OwnerId = args[2],
    WorkItemLockTimeout = TimeSpan.FromSeconds(double.Parse(args[3], CultureInfo.InvariantCulture)),
    MaxPollingInterval = TimeSpan.FromMilliseconds(200),
});
await service.CreateIfNotExistsAsync();
var worker = new TaskHubWorker(service);
worker.AddTaskOrchestrations(typeof(CrashChainOrchestration));
worker.AddTaskActivities(typeof(AppendStepActivity), typeof(MarkStepOnceActivity));
await worker.StartAsync();

var client = new TaskHubClient(service);
OrchestrationInstance instance;
try
{
    instance = await client.CreateOrchestrationInstanceAsync(typeof(CrashChainOrchestration), InstanceId,
        CrashChainOrchestration.Steps);
}
catch (OrchestrationAlreadyExistsException)
{
    // A restarted worker picks up the instance the killed one left behind.
    instance = new OrchestrationInstance { InstanceId = InstanceId };
}

OrchestrationState done = await client.WaitForOrchestrationAsync(instance, TimeSpan.FromMinutes(5));
Console.WriteLine($"finished {done?.OrchestrationStatus}");
await worker.StopAsync(isForced: true);
return done?.OrchestrationStatus == OrchestrationStatus.Completed ? 0 : 1;
