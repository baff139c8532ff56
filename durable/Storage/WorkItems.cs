using EdgeKv.Durable.History;

namespace EdgeKv.Durable.Storage;

/// <summary>A message waiting for an orchestration instance: a new event in its history once processed.</summary>
public sealed record InstanceMessage(long SequenceNumber, HistoryEvent Event, int DequeueCount);

/// <summary>A message to deliver: <paramref name="VisibleAt"/> delays it (durable timers).</summary>
public sealed record OutboundMessage(string InstanceId, HistoryEvent Event, DateTime? VisibleAt = null);

/// <summary>An activity to run on behalf of an orchestration.</summary>
public sealed record ActivityRequest(int TaskId, string Name, string? Input);

/// <summary>An instance leased to one dispatcher, with the messages it is to process.</summary>
public sealed record OrchestrationWorkItem(
    string InstanceId,
    OrchestrationInstance Instance,
    IReadOnlyList<InstanceMessage> Messages,
    string LockToken,
    DateTime LockedUntil);

/// <summary>An activity leased to one dispatcher.</summary>
public sealed record ActivityWorkItem(
    long SequenceNumber,
    string InstanceId,
    string ExecutionId,
    int TaskId,
    string Name,
    string? Input,
    int DequeueCount,
    string LockToken,
    DateTime LockedUntil);

/// <summary>Everything one episode changes, written in a single transaction.</summary>
public sealed record OrchestrationCheckpoint(
    string ExecutionId,
    string Name,
    OrchestrationRuntimeStatus Status,
    string? Input,
    string? Output,
    string? CustomStatus,
    TaskFailureDetails? FailureDetails,
    IReadOnlyList<HistoryEvent> NewHistory,
    bool ResetHistory,
    IReadOnlyList<ActivityRequest> Activities,
    IReadOnlyList<OutboundMessage> Messages);

/// <summary>
/// Lets a commit lease follow-up work to the committing worker in the same transaction: activities it just
/// scheduled (up to <paramref name="MaxActivities"/>) and the next batch of messages for an orchestration.
/// </summary>
public sealed record WorkLease(string Owner, TimeSpan Duration, int MaxActivities);

/// <summary>What an orchestration commit leased onward: activities to run here, and the instance's next work item if messages were waiting.</summary>
public sealed record OrchestrationCommit(IReadOnlyList<ActivityWorkItem> LeasedActivities, OrchestrationWorkItem? Next)
{
    public static readonly OrchestrationCommit Nothing = new([], null);
}

/// <summary>Whether an activity's result was recorded (false: the lease was lost), and its orchestration's work item when it could be leased.</summary>
public sealed record ActivityCommit(bool Completed, OrchestrationWorkItem? Next);

/// <summary>The lease on a work item was lost (it expired and another dispatcher took it); the work is abandoned.</summary>
public sealed class LeaseLostException : Exception
{
    public LeaseLostException()
        : base("The work item's lease was lost to another dispatcher.")
    {
    }

    public LeaseLostException(string message)
        : base(message)
    {
    }

    public LeaseLostException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
