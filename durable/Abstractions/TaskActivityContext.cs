namespace EdgeKv.Durable;

/// <summary>What an activity knows about the call that scheduled it.</summary>
public sealed class TaskActivityContext
{
    internal TaskActivityContext(string name, string instanceId, int taskId, int attempt, CancellationToken cancellationToken)
    {
        Name = name;
        InstanceId = instanceId;
        TaskId = taskId;
        DequeueCount = attempt;
        CancellationToken = cancellationToken;
    }

    public string Name { get; }

    /// <summary>The orchestration instance that scheduled this activity.</summary>
    public string InstanceId { get; }

    /// <summary>The activity's sequence number within its orchestration; with the instance id it names the call uniquely.</summary>
    public int TaskId { get; }

    /// <summary>How often this work item has been handed out (greater than one after a crash or an abandoned lease).</summary>
    public int DequeueCount { get; }

    /// <summary>Signalled when the host shuts down and the grace period is over; the work item is then released.</summary>
    public CancellationToken CancellationToken { get; }
}
