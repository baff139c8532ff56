using DurableTask.Core;

namespace EdgeKv.Durable.Sqlite;

/// <summary>An activity work item with its row and the lease it was handed out under.</summary>
internal sealed class SqliteActivityWorkItem : TaskActivityWorkItem
{
    public required long Sequence { get; init; }

    public required string LockToken { get; init; }
}
