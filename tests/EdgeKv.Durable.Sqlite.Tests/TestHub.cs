using DurableTask.Core;

namespace EdgeKv.Durable.Sqlite.Tests;

/// <summary>A running TaskHubWorker and a TaskHubClient over one provider, with the test tasks registered.</summary>
public sealed class TestHub : IAsyncDisposable
{
    public static readonly TimeSpan Wait = TimeSpan.FromMinutes(5);

    private TestHub(TaskHubWorker worker, TaskHubClient client)
    {
        Worker = worker;
        Client = client;
    }

    public TaskHubWorker Worker { get; }

    public TaskHubClient Client { get; }

    public static async Task<TestHub> StartAsync(IOrchestrationService service, IOrchestrationServiceClient client)
    {
        await service.CreateIfNotExistsAsync();
        var worker = new TaskHubWorker(service);
        worker.AddTaskOrchestrations(
            typeof(SequenceOrchestration), typeof(FanOutOrchestration), typeof(TimerOrchestration),
            typeof(ApprovalOrchestration),
            typeof(ParentOrchestration), typeof(CounterOrchestration), typeof(CountingSequenceOrchestration));
        worker.AddTaskActivities(typeof(AddOneActivity));
        await worker.StartAsync();
        return new TestHub(worker, new TaskHubClient(client));
    }

    public Task<OrchestrationInstance> StartAsync<T>(string instanceId, object input) =>
        Client.CreateOrchestrationInstanceAsync(typeof(T), instanceId, input);

    public async Task<OrchestrationState> CompletionAsync(OrchestrationInstance instance)
    {
        OrchestrationState? state = await Client.WaitForOrchestrationAsync(instance, Wait);
        return state ?? throw new AssertFailedException($"Instance {instance.InstanceId} did not finish within the bound.");
    }

    public async ValueTask DisposeAsync() => await Worker.StopAsync(isForced: true);
}
