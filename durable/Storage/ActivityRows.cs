using System.Data.Common;

namespace EdgeKv.Durable.Storage;

/// <summary>A leased row of <c>activity_tasks</c>, read as every relational store returns it from its lease statement.</summary>
internal static class ActivityRows
{
    /// <summary>The columns a lease statement returns, in the order <see cref="Map"/> reads them.</summary>
    public const string LeasedColumns = "sequence, instance_id, execution_id, task_id, name, input, dequeue_count";

    public static ActivityWorkItem Map(DbDataReader r, string lockToken, DateTime lockedUntil) =>
        new(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetInt32(3), r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5), r.GetInt32(6), lockToken, lockedUntil);
}
