using DurableTask.Core;
using DurableTask.Core.History;
using Microsoft.Data.Sqlite;

namespace EdgeKv.Durable.Sqlite;

/// <summary>Messages between instances: starting instances (clients and parents), delivering events, poison.</summary>
public sealed partial class SqliteOrchestrationService
{
    /// <summary>
    /// A message to an instance, serialized before the write; a start carries the new instance's first state.
    /// </summary>
    private Outbound ToOutbound(TaskMessage message)
    {
        string instanceId = message.OrchestrationInstance.InstanceId;
        long visibleAt = Now();
        string? state = null;
        ParentInstance? parent = null;
        if (message.Event is ExecutionStartedEvent started)
        {
            if (started.ScheduledStartTime is DateTime at && UtcTicks.Of(at) > visibleAt) visibleAt = UtcTicks.Of(at);
            state = DurableJson.Serialize(InitialState(started, message.OrchestrationInstance));
            parent = started.ParentInstance;
        }
        else if (message.Event is TimerFiredEvent timer)
        {
            visibleAt = Math.Max(visibleAt, UtcTicks.Of(timer.FireAt));
        }

        return new Outbound(instanceId, message.Event.EventType, visibleAt, DurableJson.Serialize(message), state,
            parent, message.OrchestrationInstance.ExecutionId);
    }

    private OrchestrationState InitialState(ExecutionStartedEvent started, OrchestrationInstance instance)
    {
        DateTime created = started.Timestamp == default ? NowUtc() : new DateTime(UtcTicks.Of(started.Timestamp),
            DateTimeKind.Utc);
        return new OrchestrationState
        {
            OrchestrationInstance = new OrchestrationInstance { InstanceId = instance.InstanceId,
                ExecutionId = instance.ExecutionId },
            Name = started.Name,
            Version = started.Version,
            Input = started.Input,
            OrchestrationStatus = OrchestrationStatus.Pending,
            CreatedTime = created,
            LastUpdatedTime = created,
            CompletedTime = DateTime.MinValue,
            Tags = started.Tags,
            ParentInstance = started.ParentInstance,
            ScheduledStartTime = started.ScheduledStartTime,
        };
    }

    /// <summary>
    /// Delivers one message inside a write: a start creates (or replaces) the instance, other messages go to existing
    /// instances only (a message to a purged or unknown instance is dropped). Returns whether something was queued.
    /// </summary>
    private bool Deliver(SqliteTransaction tx, Outbound message, long now)
    {
        if (message.StartState is null)
        {
            if (_db.Scalar<long?>(tx, "SELECT 1 FROM instances WHERE instance_id = $id",
                ("$id", message.InstanceId)) is null) return false;
            InsertMessage(tx, message.InstanceId, message.EventType, message.VisibleAt, message.Payload);
            return true;
        }

        int? existing = _db.Scalar<int?>(tx, "SELECT status FROM instances WHERE instance_id = $id",
            ("$id", message.InstanceId));
        if (existing is int s && Array.IndexOf(ActiveStatuses, (OrchestrationStatus)s) >= 0)
        {
            // A sub-orchestration whose id is taken by an active instance: the parent is told it failed to start.
            if (message.Parent is { } parent)
            {
                var failure = new FailureDetails("OrchestrationAlreadyExists",
                    $"An instance with id '{message.InstanceId}' is already {(OrchestrationStatus)s}.", null, null,
                    true);
                var refused = new SubOrchestrationInstanceFailedEvent(-1, parent.TaskScheduleId, failure.ErrorMessage,
                    null, failure) { Timestamp = new DateTime(now, DateTimeKind.Utc) };
                var reply = new TaskMessage { OrchestrationInstance = parent.OrchestrationInstance, Event = refused };
                InsertMessage(tx, parent.OrchestrationInstance.InstanceId, refused.EventType, now,
                    DurableJson.Serialize(reply));
            }

            Logs.DuplicateStartRefused(_logger, message.InstanceId, ((OrchestrationStatus)s).ToString());
            return false;
        }

        if (existing is not null) DeleteInstanceRows(tx, message.InstanceId);
        InsertInstance(tx, message.InstanceId, message.ExecutionId ?? string.Empty, message.StartState, now);
        InsertMessage(tx, message.InstanceId, EventType.ExecutionStarted, message.VisibleAt, message.Payload);
        return true;
    }

    private void InsertInstance(SqliteTransaction tx, string instanceId, string executionId, string state, long now)
    {
        OrchestrationState parsed = DurableJson.Deserialize<OrchestrationState>(state);
        _db.Exec(tx,
            """
            INSERT INTO instances (instance_id, execution_id, name, status, created_at, last_updated_at, state)
            VALUES ($id, $ex, $name, $status, $created, $now, $state)
            """,
            ("$id", instanceId), ("$ex", executionId), ("$name", parsed.Name),
            ("$status", (int)OrchestrationStatus.Pending),
            ("$created", UtcTicks.Of(parsed.CreatedTime)), ("$now", now), ("$state", state));
    }

    private void DeleteInstanceRows(SqliteTransaction tx, string instanceId)
    {
        _db.Exec(tx, "DELETE FROM history WHERE instance_id = $id", ("$id", instanceId));
        _db.Exec(tx, "DELETE FROM orchestration_messages WHERE instance_id = $id", ("$id", instanceId));
        _db.Exec(tx, "DELETE FROM activity_tasks WHERE instance_id = $id", ("$id", instanceId));
        _db.Exec(tx, "DELETE FROM instances WHERE instance_id = $id", ("$id", instanceId));
    }

    /// <summary>
    /// Fails an instance whose message was handed out more than MaxDequeueCount times without a checkpoint (it crashes
    /// or hangs every host that runs it): its history ends with a failed completion, its messages go, and a parent is
    /// told. The old runtime did the same.
    /// </summary>
    private void FailPoisoned(SqliteTransaction tx, string instanceId, string executionId, int dequeueCount, long now)
    {
        Logs.PoisonOrchestration(_logger, instanceId, dequeueCount);
        var nowUtc = new DateTime(now, DateTimeKind.Utc);
        string message = $"A message was handed out {dequeueCount} times without being processed (MaxDequeueCount {_settings.MaxDequeueCount}).";
        var failure = new FailureDetails("PoisonMessage", message, null, null, true);
        OrchestrationState state = DurableJson.Deserialize<OrchestrationState>(_db.Scalar<string>(tx,
            "SELECT state FROM instances WHERE instance_id = $id", ("$id", instanceId))!);
        long count = _db.Scalar<long>(tx, "SELECT COUNT(*) FROM history WHERE instance_id = $id AND execution_id = $ex",
            ("$id", instanceId), ("$ex", executionId));
        if (count > 0)
        {
            var completed = new ExecutionCompletedEvent(-1, null, OrchestrationStatus.Failed,
                failure) { Timestamp = nowUtc };
            _db.Exec(tx, "INSERT OR IGNORE INTO history (instance_id, execution_id, sequence, payload) VALUES ($id, $ex, $seq, $p)",
                ("$id", instanceId), ("$ex", executionId), ("$seq", count),
                ("$p", DurableJson.Serialize<HistoryEvent>(completed)));
        }

        state.OrchestrationStatus = OrchestrationStatus.Failed;
        state.FailureDetails = failure;
        state.Output = message;
        state.LastUpdatedTime = nowUtc;
        state.CompletedTime = nowUtc;
        _db.Exec(tx,
            """
            UPDATE instances SET status = $status, state = $state, last_updated_at = $now, completed_at = $now,
                lock_token = NULL, lock_owner = NULL, lock_expires_at = NULL
            WHERE instance_id = $id
            """,
            ("$status", (int)OrchestrationStatus.Failed), ("$state", DurableJson.Serialize(state)), ("$now", now),
            ("$id", instanceId));
        _db.Exec(tx, "DELETE FROM orchestration_messages WHERE instance_id = $id", ("$id", instanceId));
        _db.Exec(tx, "DELETE FROM activity_tasks WHERE instance_id = $id AND lock_expires_at IS NULL",
            ("$id", instanceId));
        if (state.ParentInstance is { } parent)
        {
            var failed = new SubOrchestrationInstanceFailedEvent(-1, parent.TaskScheduleId, message, null,
                failure) { Timestamp = nowUtc };
            var reply = new TaskMessage { OrchestrationInstance = parent.OrchestrationInstance, Event = failed };
            if (_db.Scalar<long?>(tx, "SELECT 1 FROM instances WHERE instance_id = $id",
                ("$id", parent.OrchestrationInstance.InstanceId)) is not null)
            {
                InsertMessage(tx, parent.OrchestrationInstance.InstanceId, failed.EventType, now,
                    DurableJson.Serialize(reply));
            }
        }
    }

    private sealed record Outbound(string InstanceId, EventType EventType, long VisibleAt, string Payload,
        string? StartState, ParentInstance? Parent, string? ExecutionId);
}
