namespace EdgeKv.Durable.Worker;

/// <summary>
/// Runs an orchestrator's continuations one at a time on the executor's own thread, in the order they were
/// queued, so that replay is deterministic. Nothing runs inline and nothing runs on the thread pool.
/// </summary>
internal sealed class OrchestrationTaskScheduler : TaskScheduler
{
    private readonly Queue<Task> _queue = new();

    public override int MaximumConcurrencyLevel => 1;

    /// <summary>Runs queued work until none is left.</summary>
    public void Drain()
    {
        while (_queue.TryDequeue(out Task? task))
        {
            TryExecuteTask(task);
        }
    }

    protected override void QueueTask(Task task) => _queue.Enqueue(task);

    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) => false;

    protected override IEnumerable<Task> GetScheduledTasks() => _queue.ToArray();
}
