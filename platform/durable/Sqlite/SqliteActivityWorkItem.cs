using DurableTask.Core;

namespace EdgeKv.Durable.Sqlite;

/// <summary>
/// An activity work item with its row and the lease it was handed out under. As for orchestrations, the framework sees
/// no expiry (no renewal task per activity); the service renews the leases of running activities itself.
/// </summary>
internal sealed class SqliteActivityWorkItem : TaskActivityWorkItem
{
    public required long Sequence { get; init; }

    public required string LockToken { get; init; }

    /// <summary>When the lease ends unless renewed (UTC ticks).</summary>
    public long LeaseExpiresAt { get; set; }
}
