using DurableTask.Core;

namespace EdgeKv.Durable.Sqlite;

/// <summary>
/// An orchestration work item with the lease it was handed out under. The framework sees <c>LockedUntilUtc</c> as
/// <see cref="DateTime.MaxValue"/>, so it starts no renewal task of its own per episode (a task, a timer and a
/// cancellation exception each); the service renews its held leases itself (<see cref="LeaseExpiresAt"/>).
/// </summary>
internal sealed class SqliteOrchestrationWorkItem : TaskOrchestrationWorkItem
{
    public required string LockToken { get; init; }

    /// <summary>When the lease ends unless renewed (UTC ticks).</summary>
    public long LeaseExpiresAt { get; set; }

    /// <summary>
    /// The execution whose history the database holds (the checkpoint replaces it on continue-as-new).
    /// </summary>
    public required string StoredExecutionId { get; set; }

    /// <summary>The session's in-memory inbox, when extended sessions are on.</summary>
    public SessionInbox? Inbox { get; set; }
}
