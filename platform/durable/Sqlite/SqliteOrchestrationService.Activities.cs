using DurableTask.Core;
using DurableTask.Core.History;
using Microsoft.Data.Sqlite;

namespace EdgeKv.Durable.Sqlite;

/// <summary>
/// The activity side of the worker: each activity is leased on its own, its result goes to its instance.
/// </summary>
public sealed partial class SqliteOrchestrationService
{
    private const int MaxActivitiesPerLease = 32;

    private const string LeaseFreeActivitiesSql = """
        UPDATE activity_tasks SET lock_token = $t, lock_owner = $o, lock_expires_at = $exp, dequeue_count = dequeue_count + 1
        WHERE sequence IN (SELECT sequence FROM activity_tasks WHERE lock_expires_at IS NULL ORDER BY sequence LIMIT $max)
        RETURNING sequence, instance_id, dequeue_count, payload
        """;

    private const string LeaseExpiredActivitiesSql = """
        UPDATE activity_tasks SET lock_token = $t, lock_owner = $o, lock_expires_at = $exp, dequeue_count = dequeue_count + 1
        WHERE sequence IN (SELECT sequence FROM activity_tasks WHERE lock_expires_at <= $now ORDER BY lock_expires_at LIMIT $max)
        RETURNING sequence, instance_id, dequeue_count, payload
        """;

    public async Task<TaskActivityWorkItem?> LockNextTaskActivityWorkItem(TimeSpan receiveTimeout,
        CancellationToken cancellationToken)
    {
        await OpenAsync();
        using CancellationTokenSource linked = Linked(cancellationToken);
        PollingBackoff backoff = _activityBackoff;
        long deadline = Now() + receiveTimeout.Ticks;
        try
        {
            while (!linked.IsCancellationRequested)
            {
                Task signalled = _activitiesReady.WaitHandle;
                if (await TakeLocalActivityAsync() is { } local) return Running(local);

                // The table is read only when this process stored or freed activities there, or when the poll is due
                // (other hosts' work, expired leases): a wake-up for activities already leased into the local queue
                // (a checkpoint's) costs no write transaction.
                long now = Now();
                if (Interlocked.Exchange(ref _activitiesStored, 0) == 1 || now >= Volatile.Read(ref _activityPollDueAt))
                {
                    // Several at once: the rest wait in this host's local queue, leased, for the next calls.
                    string token = NewLockToken();
                    int max = Math.Clamp(_settings.MaxConcurrentActivities - _localActivities.Count, 1,
                        MaxActivitiesPerLease);
                    (List<LeasedActivity> leased,
                        List<string> failedInstances) = await _db.WriteAsync(tx => TryLeaseActivities(tx, token, max),
                            linked.Token);
                    NotifyInstances(failedInstances);
                    if (leased.Count > 0)
                    {
                        // A full batch may have left more behind.
                        if (leased.Count >= max) Volatile.Write(ref _activitiesStored, 1);
                        backoff.Reset();
                        foreach (LeasedActivity activity in leased.Skip(1)) _localActivities.Enqueue(ToWorkItem(activity, token));
                        return Running(ToWorkItem(leased[0], token));
                    }

                    now = Now();
                    Volatile.Write(ref _activityPollDueAt, now + backoff.Next().Ticks);
                }

                if (now >= deadline) return null;
                long until = Math.Min(Volatile.Read(ref _activityPollDueAt), deadline);
                TimeSpan wait = TimeSpan.FromTicks(Math.Max(0, until - now));
                await AsyncSignal.WaitAsync(signalled, wait, _time, linked.Token);
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
        if (renewed == 1) item.LeaseExpiresAt = until;
        return item;
    }

    public async Task CompleteTaskActivityWorkItemAsync(TaskActivityWorkItem workItem, TaskMessage responseMessage)
    {
        var item = (SqliteActivityWorkItem)workItem;
        _runningActivities.TryRemove(item, out _);
        string instanceId = responseMessage.OrchestrationInstance.InstanceId;
        string payload = DurableJson.Serialize(responseMessage);
        EventType type = responseMessage.Event.EventType;
        long now = Now();
        bool? delivered = await _db.WriteAsync<bool?>(tx =>
        {
            int deleted = _db.Exec(tx, "DELETE FROM activity_tasks WHERE sequence = $s AND lock_token = $t",
                ("$s", item.Sequence), ("$t", item.LockToken));
            if (deleted == 0) return null;
            string? holder = _db.Scalar<string>(tx,
                "SELECT coalesce(lock_token, '') FROM instances WHERE instance_id = $id", ("$id", instanceId));
            if (holder is null) return false;
            responseMessage.SequenceNumber = _db.Scalar<long>(tx,
                "INSERT INTO orchestration_messages (instance_id, event_type, visible_at, payload, dequeue_count) VALUES ($id, $type, $at, $p, 1) RETURNING sequence",
                ("$id", instanceId), ("$type", (int)type), ("$at", now), ("$p", payload));
            HandToSession(instanceId, holder, responseMessage);
            return true;
        });
        if (delivered is null)
        {
            Logs.ActivityLeaseLost(_logger, TaskId(item.TaskMessage),
                item.TaskMessage.OrchestrationInstance.InstanceId);
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
        _runningActivities.TryRemove(item, out _);
        int released = await _db.WriteAsync(tx => _db.Exec(tx,
            "UPDATE activity_tasks SET lock_token = NULL, lock_owner = NULL, lock_expires_at = NULL WHERE sequence = $s AND lock_token = $t",
            ("$s", item.Sequence), ("$t", item.LockToken)));
        if (released > 0) ActivitiesStored();
    }

    /// <summary>
    /// Activities were stored without a lease of this process (or freed): the next fetch reads the table.
    /// </summary>
    private void ActivitiesStored()
    {
        Volatile.Write(ref _activitiesStored, 1);
        _activitiesReady.Set();
    }

    /// <summary>
    /// The next activity of this host's local queue (leased by a checkpoint or a batch lease), its lease renewed first
    /// if less than half of it is left; null when the queue is empty.
    /// </summary>
    private async Task<SqliteActivityWorkItem?> TakeLocalActivityAsync()
    {
        while (_localActivities.TryDequeue(out SqliteActivityWorkItem? item))
        {
            if (item.LeaseExpiresAt - Now() > _settings.WorkItemLockTimeout.Ticks / 2) return item;
            long until = Now() + _settings.WorkItemLockTimeout.Ticks;
            int renewed = await _db.WriteAsync(tx => _db.Exec(tx,
                "UPDATE activity_tasks SET lock_expires_at = $exp WHERE sequence = $s AND lock_token = $t",
                ("$exp", until), ("$s", item.Sequence), ("$t", item.LockToken)));
            if (renewed == 0) continue; // taken over meanwhile: the new holder runs it
            item.LeaseExpiresAt = until;
            return item;
        }

        return null;
    }

    /// <summary>At stop, the activities leased but not started go back to the table for any host.</summary>
    private async Task ReleaseLocalActivitiesAsync()
    {
        var pending = new List<SqliteActivityWorkItem>();
        while (_localActivities.TryDequeue(out SqliteActivityWorkItem? item)) pending.Add(item);
        if (pending.Count == 0 || !_db.IsOpen) return;
        Volatile.Write(ref _activitiesStored, 1);
        await _db.WriteAsync(tx =>
        {
            foreach (SqliteActivityWorkItem item in pending)
            {
                _db.Exec(tx, "UPDATE activity_tasks SET lock_token = NULL, lock_owner = NULL, lock_expires_at = NULL, dequeue_count = max(dequeue_count - 1, 0) WHERE sequence = $s AND lock_token = $t",
                    ("$s", item.Sequence), ("$t", item.LockToken));
            }

            return true;
        });
    }

    /// <summary>
    /// A leased row as a work item. An activity this process stored itself is taken from <see
    /// cref="_storedActivities"/> instead of being deserialized again, when it was stored with this row's payload.
    /// </summary>
    private SqliteActivityWorkItem ToWorkItem(LeasedActivity leased, string token) => new()
    {
        Id = $"{leased.InstanceId}:{leased.Sequence}",
        Sequence = leased.Sequence,
        LockToken = token,
        TaskMessage = _storedActivities.Take(leased.Sequence, leased.Payload),
        LockedUntilUtc = DateTime.MaxValue,
        LeaseExpiresAt = leased.LockedUntil,
    };

    /// <summary>
    /// An activity handed to the framework: its lease is renewed by the lease keeper until it completes.
    /// </summary>
    private SqliteActivityWorkItem Running(SqliteActivityWorkItem item)
    {
        _runningActivities.TryAdd(item, 0);
        return item;
    }

    private (List<LeasedActivity> Leased, List<string> FailedInstances) TryLeaseActivities(SqliteTransaction tx,
        string token, int max)
    {
        long now = Now();
        long until = now + _settings.WorkItemLockTimeout.Ticks;
        var failed = new List<string>();
        var result = new List<LeasedActivity>();
        for (int attempt = 0; attempt < 4 && result.Count == 0; attempt++)
        {
            List<LeasedActivity> leased = Lease(LeaseFreeActivitiesSql);
            if (leased.Count == 0) leased = Lease(LeaseExpiredActivitiesSql);
            if (leased.Count == 0) break;
            foreach (LeasedActivity activity in leased)
            {
                if (activity.DequeueCount <= _settings.MaxDequeueCount) result.Add(activity);
                else FailPoisonedActivity(tx, activity, now, failed);
            }
        }

        result.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
        return (result, failed);

        List<LeasedActivity> Lease(string sql)
        {
            var rows = new List<LeasedActivity>();
            SqliteCommand cmd = _db.Cmd(tx, sql, ("$t", token), ("$o", _settings.OwnerId), ("$exp", until),
                ("$now", now), ("$max", max));
            using SqliteDataReader r = cmd.ExecuteReader();
            while (r.Read()) rows.Add(new LeasedActivity(r.GetInt64(0), r.GetString(1), r.GetInt32(2), r.GetString(3),
                until));
            return rows;
        }
    }

    private void FailPoisonedActivity(SqliteTransaction tx, LeasedActivity leased, long now, List<string> failed)
    {
        // Poison: handed out too often without completing (it crashes or hangs every host); it fails instead.
        TaskMessage message = DurableJson.Deserialize<TaskMessage>(leased.Payload);
        var scheduled = (TaskScheduledEvent)message.Event;
        Logs.PoisonActivity(_logger, scheduled.Name ?? string.Empty, scheduled.EventId, leased.InstanceId,
            leased.DequeueCount);
        string reason = $"Activity '{scheduled.Name}' was handed out {leased.DequeueCount} times without completing (MaxDequeueCount {_settings.MaxDequeueCount}).";
        var failure = new FailureDetails("PoisonMessage", reason, null, null, true);
        var failedEvent = new TaskFailedEvent(-1, scheduled.EventId, reason, null,
            failure) { Timestamp = new DateTime(now, DateTimeKind.Utc) };
        var reply = new TaskMessage { OrchestrationInstance = message.OrchestrationInstance, Event = failedEvent };
        _db.Exec(tx, "DELETE FROM activity_tasks WHERE sequence = $s", ("$s", leased.Sequence));
        if (_db.Scalar<long?>(tx, "SELECT 1 FROM instances WHERE instance_id = $id",
            ("$id", leased.InstanceId)) is not null)
        {
            InsertMessage(tx, leased.InstanceId, EventType.TaskFailed, now, DurableJson.Serialize(reply));
            failed.Add(leased.InstanceId);
        }
    }

    private static int TaskId(TaskMessage message) => message.Event is TaskScheduledEvent scheduled ? scheduled.EventId : -1;

    private sealed record LeasedActivity(long Sequence, string InstanceId, int DequeueCount, string Payload,
        long LockedUntil);
}
