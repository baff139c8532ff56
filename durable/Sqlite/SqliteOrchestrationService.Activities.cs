using DurableTask.Core;
using DurableTask.Core.History;
using Microsoft.Data.Sqlite;

namespace EdgeKv.Durable.Sqlite;

/// <summary>The activity side of the worker: each activity is leased on its own, its result goes to its instance.</summary>
public sealed partial class SqliteOrchestrationService
{
    private const string LeaseFreeActivitySql = """
        UPDATE activity_tasks SET lock_token = $t, lock_owner = $o, lock_expires_at = $exp, dequeue_count = dequeue_count + 1
        WHERE sequence = (SELECT sequence FROM activity_tasks WHERE lock_expires_at IS NULL ORDER BY sequence LIMIT 1)
        RETURNING sequence, instance_id, dequeue_count, payload
        """;

    private const string LeaseExpiredActivitySql = """
        UPDATE activity_tasks SET lock_token = $t, lock_owner = $o, lock_expires_at = $exp, dequeue_count = dequeue_count + 1
        WHERE sequence = (SELECT sequence FROM activity_tasks WHERE lock_expires_at <= $now ORDER BY lock_expires_at LIMIT 1)
        RETURNING sequence, instance_id, dequeue_count, payload
        """;

    public async Task<TaskActivityWorkItem?> LockNextTaskActivityWorkItem(TimeSpan receiveTimeout, CancellationToken cancellationToken)
    {
        await OpenAsync();
        using CancellationTokenSource linked = Linked(cancellationToken);
        var backoff = new PollingBackoff(_settings.MinPollingInterval, _settings.MaxPollingInterval);
        long deadline = Now() + receiveTimeout.Ticks;
        try
        {
            while (!linked.IsCancellationRequested)
            {
                Task signalled = _activitiesReady.WaitHandle;
                string token = NewLockToken();
                (LeasedActivity? leased, List<string> failedInstances) = await _db.WriteAsync(tx => TryLeaseActivity(tx, token), linked.Token);
                NotifyInstances(failedInstances);
                if (leased is not null)
                {
                    TaskMessage message = DurableJson.Deserialize<TaskMessage>(leased.Payload);
                    return new SqliteActivityWorkItem
                    {
                        Id = $"{leased.InstanceId}:{leased.Sequence}",
                        Sequence = leased.Sequence,
                        LockToken = token,
                        TaskMessage = message,
                        LockedUntilUtc = new DateTime(leased.LockedUntil, DateTimeKind.Utc),
                    };
                }

                long now = Now();
                if (now >= deadline) return null;
                TimeSpan wait = backoff.Next();
                if (wait.Ticks > deadline - now) wait = TimeSpan.FromTicks(deadline - now);
                if (await AsyncSignal.WaitAsync(signalled, wait, _time, linked.Token)) backoff.Reset();
            }
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
        }

        return null;
    }

    public async Task<TaskActivityWorkItem> RenewTaskActivityWorkItemLockAsync(TaskActivityWorkItem workItem)
    {
        var item = (SqliteActivityWorkItem)workItem;
        long until = Now() + _settings.WorkItemLockTimeout.Ticks;
        int renewed = await _db.WriteAsync(tx => _db.Exec(tx,
            "UPDATE activity_tasks SET lock_expires_at = $exp WHERE sequence = $s AND lock_token = $t",
            ("$exp", until), ("$s", item.Sequence), ("$t", item.LockToken)));
        if (renewed == 1) item.LockedUntilUtc = new DateTime(until, DateTimeKind.Utc);
        return item;
    }

    public async Task CompleteTaskActivityWorkItemAsync(TaskActivityWorkItem workItem, TaskMessage responseMessage)
    {
        var item = (SqliteActivityWorkItem)workItem;
        string instanceId = responseMessage.OrchestrationInstance.InstanceId;
        string payload = DurableJson.Serialize(responseMessage);
        EventType type = responseMessage.Event.EventType;
        long now = Now();
        bool? delivered = await _db.WriteAsync<bool?>(tx =>
        {
            int deleted = _db.Exec(tx, "DELETE FROM activity_tasks WHERE sequence = $s AND lock_token = $t", ("$s", item.Sequence), ("$t", item.LockToken));
            if (deleted == 0) return null;
            if (_db.Scalar<long?>(tx, "SELECT 1 FROM instances WHERE instance_id = $id", ("$id", instanceId)) is null) return false;
            InsertMessage(tx, instanceId, type, now, payload);
            return true;
        });
        if (delivered is null)
        {
            Logs.ActivityLeaseLost(_logger, TaskId(item.TaskMessage), item.TaskMessage.OrchestrationInstance.InstanceId);
        }
        else if (delivered == true)
        {
            NotifyInstances([instanceId]);
        }
    }

    /// <summary>Lets the activity go at once, so the next poll (this host's or another's) runs it again.</summary>
    public async Task AbandonTaskActivityWorkItemAsync(TaskActivityWorkItem workItem)
    {
        var item = (SqliteActivityWorkItem)workItem;
        int released = await _db.WriteAsync(tx => _db.Exec(tx,
            "UPDATE activity_tasks SET lock_token = NULL, lock_owner = NULL, lock_expires_at = NULL WHERE sequence = $s AND lock_token = $t",
            ("$s", item.Sequence), ("$t", item.LockToken)));
        if (released > 0) _activitiesReady.Set();
    }

    private (LeasedActivity? Leased, List<string> FailedInstances) TryLeaseActivity(SqliteTransaction tx, string token)
    {
        long now = Now();
        long until = now + _settings.WorkItemLockTimeout.Ticks;
        var failed = new List<string>();
        for (int attempt = 0; attempt < 32; attempt++)
        {
            LeasedActivity? leased = Lease(LeaseFreeActivitySql) ?? Lease(LeaseExpiredActivitySql);
            if (leased is null) break;
            if (leased.DequeueCount <= _settings.MaxDequeueCount) return (leased, failed);

            // Poison: handed out too often without completing (it crashes or hangs every host); it fails instead.
            TaskMessage message = DurableJson.Deserialize<TaskMessage>(leased.Payload);
            var scheduled = (TaskScheduledEvent)message.Event;
            Logs.PoisonActivity(_logger, scheduled.Name ?? string.Empty, scheduled.EventId, leased.InstanceId, leased.DequeueCount);
            string reason = $"Activity '{scheduled.Name}' was handed out {leased.DequeueCount} times without completing (MaxDequeueCount {_settings.MaxDequeueCount}).";
            var failure = new FailureDetails("PoisonMessage", reason, null, null, true);
            var failedEvent = new TaskFailedEvent(-1, scheduled.EventId, reason, null, failure) { Timestamp = new DateTime(now, DateTimeKind.Utc) };
            var reply = new TaskMessage { OrchestrationInstance = message.OrchestrationInstance, Event = failedEvent };
            _db.Exec(tx, "DELETE FROM activity_tasks WHERE sequence = $s", ("$s", leased.Sequence));
            if (_db.Scalar<long?>(tx, "SELECT 1 FROM instances WHERE instance_id = $id", ("$id", leased.InstanceId)) is not null)
            {
                InsertMessage(tx, leased.InstanceId, EventType.TaskFailed, now, DurableJson.Serialize(reply));
                failed.Add(leased.InstanceId);
            }
        }

        return (null, failed);

        LeasedActivity? Lease(string sql)
        {
            SqliteCommand cmd = _db.Cmd(tx, sql, ("$t", token), ("$o", _settings.OwnerId), ("$exp", until), ("$now", now));
            using SqliteDataReader r = cmd.ExecuteReader();
            return r.Read() ? new LeasedActivity(r.GetInt64(0), r.GetString(1), r.GetInt32(2), r.GetString(3), until) : null;
        }
    }

    private static int TaskId(TaskMessage message) => message.Event is TaskScheduledEvent scheduled ? scheduled.EventId : -1;

    private sealed record LeasedActivity(long Sequence, string InstanceId, int DequeueCount, string Payload, long LockedUntil);
}
