using EdgeKv.Durable.History;

namespace EdgeKv.Durable.Storage;

/// <summary>
/// The runtime's storage contract: instances, their histories, and two queues (orchestration messages and
/// activities) with leases. Every backend (SQLite, PostgreSQL) implements all of it and passes the same
/// contract tests.
/// </summary>
public interface IOrchestrationStore : IAsyncDisposable
{
    /// <summary>Creates or migrates the schema and records its version.</summary>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates an instance with its ExecutionStarted message. Returns false, changing nothing, when an
    /// instance with that id is Pending, Running or Suspended; a finished one is replaced.
    /// </summary>
    Task<bool> CreateInstanceAsync(string instanceId, ExecutionStartedEvent started, DateTime? startAt, CancellationToken cancellationToken = default);

    /// <summary>Queues a message (an event, terminate, suspend, resume) for an existing instance; false if it does not exist.</summary>
    Task<bool> SendMessageAsync(OutboundMessage message, CancellationToken cancellationToken = default);

    Task<OrchestrationWorkItem?> LockNextOrchestrationAsync(string owner, TimeSpan lease, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<HistoryEvent>> GetHistoryAsync(string instanceId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes an episode atomically and releases the lease; throws <see cref="LeaseLostException"/> if the lease is no
    /// longer held. With <paramref name="lease"/>, the same transaction leases the new activities (up to its limit) and,
    /// if messages arrived meanwhile, keeps the instance leased and returns its next work item.
    /// </summary>
    Task<OrchestrationCommit> CompleteOrchestrationAsync(OrchestrationWorkItem workItem, OrchestrationCheckpoint checkpoint, WorkLease? lease = null, CancellationToken cancellationToken = default);

    /// <summary>Releases the lease without consuming the messages, so the work is picked up again.</summary>
    Task AbandonOrchestrationAsync(OrchestrationWorkItem workItem, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ActivityWorkItem>> LockNextActivitiesAsync(string owner, int maxCount, TimeSpan lease, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes the activity and queues its result for the orchestration, atomically; not completed if the lease was lost
    /// (the result is dropped). With <paramref name="lease"/>, the same transaction leases the orchestration if it is free.
    /// </summary>
    Task<ActivityCommit> CompleteActivityAsync(ActivityWorkItem workItem, HistoryEvent result, WorkLease? lease = null, CancellationToken cancellationToken = default);

    /// <summary>Extends the lease of a long-running activity; false if it was already lost.</summary>
    Task<bool> RenewActivityLeaseAsync(ActivityWorkItem workItem, TimeSpan lease, CancellationToken cancellationToken = default);

    Task AbandonActivityAsync(ActivityWorkItem workItem, CancellationToken cancellationToken = default);

    Task<OrchestrationInstance?> GetInstanceAsync(string instanceId, CancellationToken cancellationToken = default);

    Task<InstancePage> QueryInstancesAsync(InstanceQuery query, CancellationToken cancellationToken = default);

    /// <summary>Deletes a finished instance with its history; returns how many instances were deleted (0 or 1).</summary>
    Task<int> PurgeInstanceAsync(string instanceId, CancellationToken cancellationToken = default);

    Task<int> PurgeInstancesAsync(PurgeFilter filter, CancellationToken cancellationToken = default);
}
