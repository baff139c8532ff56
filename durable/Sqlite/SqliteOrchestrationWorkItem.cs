using DurableTask.Core;

namespace EdgeKv.Durable.Sqlite;

/// <summary>An orchestration work item with the lease it was handed out under.</summary>
internal sealed class SqliteOrchestrationWorkItem : TaskOrchestrationWorkItem
{
    public required string LockToken { get; init; }

    /// <summary>The execution whose history the database holds (the checkpoint replaces it on continue-as-new).</summary>
    public required string StoredExecutionId { get; set; }

    /// <summary>The session's in-memory inbox, when extended sessions are on.</summary>
    public SessionInbox? Inbox { get; set; }
}
