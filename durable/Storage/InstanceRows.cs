using System.Data.Common;
using EdgeKv.Durable.History;

namespace EdgeKv.Durable.Storage;

/// <summary>The <c>instances</c> table as every relational store lays it out: its columns, its mapping, its active states.</summary>
internal static class InstanceRows
{
    /// <summary>The states in which an instance id is taken: a new instance of the same id is refused.</summary>
    public static readonly int[] ActiveStatuses =
    [
        (int)OrchestrationRuntimeStatus.Pending, (int)OrchestrationRuntimeStatus.Running,
        (int)OrchestrationRuntimeStatus.Suspended, (int)OrchestrationRuntimeStatus.ContinuedAsNew,
    ];

    public const string Columns =
        "instance_id, execution_id, name, status, input, output, custom_status, failure, created_at, last_updated_at, completed_at, parent_instance_id, history_count";

    /// <summary>What a purge removes when the filter names no state: every finished state.</summary>
    public static int[] PurgeableStatuses(PurgeFilter filter) => filter.Statuses is { Count: > 0 } given
        ? [.. given.Where(s => s.IsTerminal()).Select(s => (int)s)]
        : [(int)OrchestrationRuntimeStatus.Completed, (int)OrchestrationRuntimeStatus.Failed, (int)OrchestrationRuntimeStatus.Terminated];

    /// <summary>Maps a row read with <see cref="Columns"/> (times are UTC ticks).</summary>
    public static OrchestrationInstance Map(DbDataReader r) => new(
        r.GetString(0),
        r.GetString(1),
        r.GetString(2),
        (OrchestrationRuntimeStatus)r.GetInt32(3),
        r.IsDBNull(4) ? null : r.GetString(4),
        r.IsDBNull(5) ? null : r.GetString(5),
        r.IsDBNull(6) ? null : r.GetString(6),
        HistorySerializer.DeserializeFailure(r.IsDBNull(7) ? null : r.GetString(7)),
        new DateTime(r.GetInt64(8), DateTimeKind.Utc),
        new DateTime(r.GetInt64(9), DateTimeKind.Utc),
        r.IsDBNull(10) ? null : new DateTime(r.GetInt64(10), DateTimeKind.Utc),
        r.IsDBNull(11) ? null : r.GetString(11),
        r.GetInt32(12));
}
