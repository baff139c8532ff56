using System.Diagnostics;
using DurableTask.Core;
using DurableTask.Core.Exceptions;
using DurableTask.Core.History;
using Microsoft.Data.Sqlite;

namespace EdgeKv.Durable.Sqlite;

/// <summary>
/// The orchestration side of the worker: leasing instances with their new messages, checkpoints, release.
/// </summary>
public sealed partial class SqliteOrchestrationService
{
    private const string PickInstanceSql = """
        SELECT m.instance_id FROM orchestration_messages m JOIN instances i ON i.instance_id = m.instance_id
        WHERE m.visible_at <= $now AND (i.lock_expires_at IS NULL OR i.lock_expires_at <= $now)
        ORDER BY m.visible_at, m.sequence LIMIT 1
        """;

    private const int MaxInstancesPerLease = 8;

    private const string TakeMessagesSql = """
        UPDATE orchestration_messages SET dequeue_count = dequeue_count + 1
        WHERE instance_id = $id AND visible_at <= $now
        RETURNING sequence, event_type, dequeue_count, payload
        """;

    public async Task<TaskOrchestrationWorkItem?> LockNextTaskOrchestrationWorkItemAsync(TimeSpan receiveTimeout,
        CancellationToken cancellationToken)
    {
        await OpenAsync();
        using CancellationTokenSource linked = Linked(cancellationToken);
        var backoff = new PollingBackoff(_settings.MinPollingInterval, _settings.MaxPollingInterval);
        long deadline = Now() + receiveTimeout.Ticks;
        try
        {
            while (!linked.IsCancellationRequested)
            {
                Task signalled = _orchestrationsReady.WaitHandle;
                if (await TakeLocalInstanceAsync() is { } local) return BuildWorkItem(local);

                // Several instances at once (each under its own lease token): the rest wait in this host's local
                // queue for the next calls, so many small orchestrations do not cost a lease transaction each.
                LockAttempt attempt = await _db.WriteAsync(tx => TryLockNextInstances(tx, MaxInstancesPerLease),
                    linked.Token);
                ReportDiscards(attempt);
                if (attempt.Locked.Count > 0)
                {
                    foreach (LockedInstance more in attempt.Locked.Skip(1)) _localInstances.Enqueue(more);
                    return BuildWorkItem(attempt.Locked[0]);
                }

                long now = Now();
                if (now >= deadline) return null;
                TimeSpan? untilVisible = attempt.NextVisibleAt is long at ? TimeSpan.FromTicks(at - now) : null;
                TimeSpan wait = backoff.Next(untilVisible);
                if (wait.Ticks > deadline - now) wait = TimeSpan.FromTicks(deadline - now);
                if (await AsyncSignal.WaitAsync(signalled, wait, _time, linked.Token)) backoff.Reset();
            }
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
        }

        return null;
    }

    public async Task RenewTaskOrchestrationWorkItemLockAsync(TaskOrchestrationWorkItem workItem)
    {
        var item = (SqliteOrchestrationWorkItem)workItem;
        long until = Now() + _settings.WorkItemLockTimeout.Ticks;
        int renewed = await _db.WriteAsync(tx => _db.Exec(tx,
            "UPDATE instances SET lock_expires_at = $exp WHERE instance_id = $id AND lock_token = $t",
            ("$exp", until), ("$id", item.InstanceId), ("$t", item.LockToken)));
        if (renewed == 0) throw new SessionAbortedException($"The lease on instance '{item.InstanceId}' was lost.");
        item.LeaseExpiresAt = until;
    }

    public async Task CompleteTaskOrchestrationWorkItemAsync(
        TaskOrchestrationWorkItem workItem,
        OrchestrationRuntimeState newOrchestrationRuntimeState,
        IList<TaskMessage> outboundMessages,
        IList<TaskMessage> orchestratorMessages,
        IList<TaskMessage> timerMessages,
        TaskMessage continuedAsNewMessage,
        OrchestrationState orchestrationState)
    {
        var item = (SqliteOrchestrationWorkItem)workItem;
        long[] consumed = [.. (item.NewMessages ?? []).Select(m => m.SequenceNumber)];
        if (orchestrationState is null || !newOrchestrationRuntimeState.IsValid || newOrchestrationRuntimeState.ExecutionStartedEvent is null)
        {
            // Nothing to record (messages for a finished or deleted instance): only the consumed messages go.
            await _db.WriteAsync(tx =>
            {
                if (HoldsLease(tx, item)) DeleteMessages(tx, consumed);
                return true;
            });
            return;
        }

        Stopwatch elapsed = Stopwatch.StartNew();
        string executionId = newOrchestrationRuntimeState.OrchestrationInstance!.ExecutionId;
        IList<HistoryEvent> newEvents = newOrchestrationRuntimeState.NewEvents;
        int firstSequence = newOrchestrationRuntimeState.Events.Count - newEvents.Count;
        bool replaceHistory = !string.Equals(executionId, item.StoredExecutionId, StringComparison.Ordinal);
        OrchestrationStatus status = orchestrationState.OrchestrationStatus;
        bool finished = IsTerminal(status);
        bool keepLease = item.Session is not null && !finished;
        Logs.CheckpointStarting(_logger, item.InstanceId, orchestrationState.Name, newEvents.Count, status.ToString());

        // Everything is serialized before the write, outside the database's lock.
        string[] history = [.. newEvents.Select(DurableJson.Serialize<HistoryEvent>)];
        string state = DurableJson.Serialize(orchestrationState);
        var activities = outboundMessages.Select(m => (InstanceId: m.OrchestrationInstance.InstanceId,
            Payload: DurableJson.Serialize(m))).ToList();
        int leaseLocally = Math.Min(activities.Count,
            Math.Max(0, (2 * _settings.MaxConcurrentActivities) - _localActivities.Count));
        string activityToken = NewLockToken();
        long activitiesUntil = Now() + _settings.WorkItemLockTimeout.Ticks;
        var sequences = new long[activities.Count];
        var timers = timerMessages.Select(m => (Fire: UtcTicks.Of(((TimerFiredEvent)m.Event).FireAt),
            Payload: DurableJson.Serialize(m))).ToList();
        List<Outbound> messages = [.. orchestratorMessages.Select(ToOutbound)];
        long now = Now();

        List<string> notified;
        try
        {
            notified = await _db.WriteAsync(tx =>
            {
                if (!HoldsLease(tx, item)) throw new SessionAbortedException($"The lease on instance '{item.InstanceId}' was taken over by another host.");
                if (replaceHistory) _db.Exec(tx, "DELETE FROM history WHERE instance_id = $id",
                    ("$id", item.InstanceId));
                try
                {
                    for (int i = 0; i < history.Length; i++)
                    {
                        _db.Exec(tx, "INSERT INTO history (instance_id, execution_id, sequence, payload) VALUES ($id, $ex, $seq, $p)",
                            ("$id", item.InstanceId), ("$ex", executionId), ("$seq", firstSequence + i),
                            ("$p", history[i]));
                    }
                }
                catch (SqliteException ex) when (ex.SqliteErrorCode == 19)
                {
                    throw new SessionAbortedException($"Another host appended to the history of instance '{item.InstanceId}'.", ex);
                }

                _db.Exec(tx,
                    """
                    UPDATE instances SET execution_id = $ex, name = $name, status = $status, created_at = $created, last_updated_at = $now,
                        completed_at = $completed, state = $state,
                        lock_token = CASE WHEN $keep THEN lock_token END, lock_owner = CASE WHEN $keep THEN lock_owner END,
                        lock_expires_at = CASE WHEN $keep THEN lock_expires_at END
                    WHERE instance_id = $id
                    """,
                    ("$ex", executionId), ("$name", orchestrationState.Name), ("$status", (int)status),
                    ("$created", UtcTicks.Of(orchestrationState.CreatedTime)), ("$now", now),
                    ("$completed", finished ? now : null),
                    ("$state", state), ("$keep", keepLease), ("$id", item.InstanceId));
                DeleteMessages(tx, consumed);
                if (finished)
                {
                    // Nothing more can happen to a finished instance: its pending timers and unstarted activities go.
                    _db.Exec(tx, "DELETE FROM orchestration_messages WHERE instance_id = $id",
                        ("$id", item.InstanceId));
                    _db.Exec(tx, "DELETE FROM activity_tasks WHERE instance_id = $id AND lock_expires_at IS NULL",
                        ("$id", item.InstanceId));
                }

                for (int i = 0; i < activities.Count; i++)
                {
                    // The first activities are leased to this host in the same commit (no poll, no second write);
                    // the rest wait in the table for any host.
                    (string instanceId, string payload) = activities[i];
                    if (i < leaseLocally)
                    {
                        sequences[i] = _db.Scalar<long>(tx,
                            """
                            INSERT INTO activity_tasks (instance_id, payload, lock_token, lock_owner, lock_expires_at, dequeue_count)
                            VALUES ($id, $p, $t, $o, $exp, 1) RETURNING sequence
                            """,
                            ("$id", instanceId), ("$p", payload), ("$t", activityToken), ("$o", _settings.OwnerId),
                            ("$exp", activitiesUntil));
                    }
                    else
                    {
                        sequences[i] = _db.Scalar<long>(tx,
                            "INSERT INTO activity_tasks (instance_id, payload) VALUES ($id, $p) RETURNING sequence",
                            ("$id", instanceId), ("$p", payload));
                    }
                }

                foreach ((long fire, string payload) in timers)
                {
                    InsertMessage(tx, item.InstanceId, EventType.TimerFired, fire, payload);
                }

                var targets = new List<string>(messages.Count + 1);
                if (timers.Count > 0) targets.Add(item.InstanceId);
                foreach (Outbound message in messages)
                {
                    if (Deliver(tx, message, now)) targets.Add(message.InstanceId);
                }

                return targets;
            });
        }
        catch (SessionAbortedException ex)
        {
            Logs.LeaseLost(_logger, item.InstanceId, ex.Message);
            throw;
        }

        item.StoredExecutionId = executionId;
        if (!keepLease) _heldInstances.TryRemove(item, out _);
        for (int i = 0; i < leaseLocally; i++)
        {
            TaskMessage message = outboundMessages[i];
            _localActivities.Enqueue(new SqliteActivityWorkItem
            {
                Id = $"{message.OrchestrationInstance.InstanceId}:{sequences[i]}",
                Sequence = sequences[i],
                LockToken = activityToken,
                TaskMessage = message,
                LockedUntilUtc = DateTime.MaxValue,
                LeaseExpiresAt = activitiesUntil,
            });
        }

        for (int i = leaseLocally; i < activities.Count; i++) _storedActivities.Keep(sequences[i], outboundMessages[i],
            activities[i].Payload);

        if (activities.Count > leaseLocally) ActivitiesStored();
        else if (activities.Count > 0) _activitiesReady.Set();
        NotifyInstances(notified);
        if (finished) NotifyCompleted(item.InstanceId);
        Logs.CheckpointCompleted(_logger, item.InstanceId, orchestrationState.Name, elapsed.ElapsedMilliseconds);
    }

    /// <summary>
    /// Lets the instance go at once, so another poll (this host's or another's) takes its messages again.
    /// </summary>
    public Task AbandonTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => ReleaseLeaseAsync((SqliteOrchestrationWorkItem)workItem);

    public Task ReleaseTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => ReleaseLeaseAsync((SqliteOrchestrationWorkItem)workItem);

    private async Task ReleaseLeaseAsync(SqliteOrchestrationWorkItem item)
    {
        EndSession(item);
        _heldInstances.TryRemove(item, out _);
        int released = await _db.WriteAsync(tx => _db.Exec(tx,
            "UPDATE instances SET lock_token = NULL, lock_owner = NULL, lock_expires_at = NULL WHERE instance_id = $id AND lock_token = $t",
            ("$id", item.InstanceId), ("$t", item.LockToken)));
        if (released > 0) _orchestrationsReady.Set();
    }

    private LockAttempt TryLockNextInstances(SqliteTransaction tx, int max)
    {
        long now = Now();
        long until = now + _settings.WorkItemLockTimeout.Ticks;
        var discarded = new List<Discard>();
        var locked = new List<LockedInstance>();
        for (int attempt = 0; attempt < 32 && locked.Count < max; attempt++)
        {
            string? instanceId = _db.Scalar<string>(tx, PickInstanceSql, ("$now", now));
            if (instanceId is null) break;
            string token = NewLockToken();
            _db.Exec(tx, "UPDATE instances SET lock_token = $t, lock_owner = $o, lock_expires_at = $exp WHERE instance_id = $id",
                ("$t", token), ("$o", _settings.OwnerId), ("$exp", until), ("$id", instanceId));
            (string executionId, OrchestrationStatus status) = ReadInstanceHead(tx, instanceId);
            List<StoredMessage> messages = TakeMessages(tx, instanceId, now);
            bool hasStart = messages.Exists(m => m.EventType == EventType.ExecutionStarted);
            StoredMessage? poison = messages.Find(m => m.DequeueCount > _settings.MaxDequeueCount);

            if (IsTerminal(status) && !hasStart)
            {
                // Results and events for a finished instance have nothing left to wake.
                DeleteMessages(tx, messages.Select(m => m.Sequence));
                Unlock(tx, instanceId);
                discarded.Add(new Discard(instanceId, messages.Count, $"the instance is {status}"));
                continue;
            }

            if (status == OrchestrationStatus.Pending && !hasStart)
            {
                // Events for an instance whose start is not due yet (a scheduled start) wait for it.
                DeferUntilStart(tx, instanceId, messages);
                Unlock(tx, instanceId);
                continue;
            }

            if (poison is not null)
            {
                FailPoisoned(tx, instanceId, executionId, poison.DequeueCount, now);
                discarded.Add(new Discard(instanceId, messages.Count, "poison"));
                continue;
            }

            var history = new List<string>();
            SqliteCommand read = _db.Cmd(tx,
                "SELECT payload FROM history WHERE instance_id = $id AND execution_id = $ex ORDER BY sequence",
                ("$id", instanceId), ("$ex", executionId));
            using (SqliteDataReader r = read.ExecuteReader())
            {
                while (r.Read()) history.Add(r.GetString(0));
            }

            locked.Add(new LockedInstance(instanceId, executionId, token, until, messages, history));
        }

        if (locked.Count > 0) return new LockAttempt(locked, null, discarded);
        long? next = _db.Scalar<long?>(tx,
            "SELECT MIN(m.visible_at) FROM orchestration_messages m JOIN instances i ON i.instance_id = m.instance_id WHERE m.visible_at > $now AND i.lock_expires_at IS NULL",
            ("$now", now));
        return new LockAttempt(locked, next, discarded);
    }

    /// <summary>
    /// The next instance of this host's local queue, its lease renewed first if less than half of it is left (and
    /// skipped if it was lost meanwhile); null when the queue is empty.
    /// </summary>
    private async Task<LockedInstance?> TakeLocalInstanceAsync()
    {
        while (_localInstances.TryDequeue(out LockedInstance? locked))
        {
            if (locked.LockedUntil - Now() > _settings.WorkItemLockTimeout.Ticks / 2) return locked;
            long until = Now() + _settings.WorkItemLockTimeout.Ticks;
            int renewed = await _db.WriteAsync(tx => _db.Exec(tx,
                "UPDATE instances SET lock_expires_at = $exp WHERE instance_id = $id AND lock_token = $t",
                ("$exp", until), ("$id", locked.InstanceId), ("$t", locked.Token)));
            if (renewed == 1) return locked with { LockedUntil = until };
        }

        return null;
    }

    /// <summary>At stop, the instances leased but not started go back to any host.</summary>
    private async Task ReleaseLocalInstancesAsync()
    {
        var pending = new List<LockedInstance>();
        while (_localInstances.TryDequeue(out LockedInstance? locked)) pending.Add(locked);
        if (pending.Count == 0 || !_db.IsOpen) return;
        await _db.WriteAsync(tx =>
        {
            foreach (LockedInstance locked in pending)
            {
                _db.Exec(tx, "UPDATE instances SET lock_token = NULL, lock_owner = NULL, lock_expires_at = NULL WHERE instance_id = $id AND lock_token = $t",
                    ("$id", locked.InstanceId), ("$t", locked.Token));
            }

            return true;
        });
    }

    private TaskOrchestrationWorkItem BuildWorkItem(LockedInstance locked)
    {
        var history = locked.History.Select(DurableJson.Deserialize<HistoryEvent>).ToList();
        var item = new SqliteOrchestrationWorkItem
        {
            InstanceId = locked.InstanceId,
            LockToken = locked.Token,
            StoredExecutionId = locked.ExecutionId,
            LockedUntilUtc = DateTime.MaxValue,
            LeaseExpiresAt = locked.LockedUntil,
            NewMessages = ToTaskMessages(locked.Messages),
            OrchestrationRuntimeState = new OrchestrationRuntimeState(history),
        };
        if (_settings.ExtendedSessionsEnabled)
        {
            item.Inbox = new SessionInbox(locked.Token);
            _sessions[locked.InstanceId] = item.Inbox;
            item.Session = new SqliteOrchestrationSession(this, item);
        }

        _heldInstances.TryAdd(item, 0);
        return item;
    }

    private static List<TaskMessage> ToTaskMessages(List<StoredMessage> messages)
    {
        var result = new List<TaskMessage>(messages.Count);
        foreach (StoredMessage stored in messages.OrderBy(m => m.Sequence))
        {
            TaskMessage message = DurableJson.Deserialize<TaskMessage>(stored.Payload);
            message.SequenceNumber = stored.Sequence;
            result.Add(message);
        }

        return result;
    }

    private void ReportDiscards(LockAttempt attempt)
    {
        foreach (Discard d in attempt.Discarded)
        {
            Logs.DiscardingMessages(_logger, d.InstanceId, d.Count, d.Reason);
            if (d.Reason == "poison") NotifyCompleted(d.InstanceId);
        }
    }

    private bool HoldsLease(SqliteTransaction tx, SqliteOrchestrationWorkItem item) =>
        string.Equals(_db.Scalar<string>(tx, "SELECT lock_token FROM instances WHERE instance_id = $id",
            ("$id", item.InstanceId)), item.LockToken, StringComparison.Ordinal);

    private (string ExecutionId, OrchestrationStatus Status) ReadInstanceHead(SqliteTransaction tx, string instanceId)
    {
        SqliteCommand cmd = _db.Cmd(tx, "SELECT execution_id, status FROM instances WHERE instance_id = $id",
            ("$id", instanceId));
        using SqliteDataReader r = cmd.ExecuteReader();
        r.Read();
        return (r.GetString(0), (OrchestrationStatus)r.GetInt32(1));
    }

    private List<StoredMessage> TakeMessages(SqliteTransaction tx, string instanceId, long now)
    {
        var messages = new List<StoredMessage>();
        SqliteCommand cmd = _db.Cmd(tx, TakeMessagesSql, ("$id", instanceId), ("$now", now));
        using SqliteDataReader r = cmd.ExecuteReader();
        while (r.Read()) messages.Add(new StoredMessage(r.GetInt64(0), (EventType)r.GetInt32(1), r.GetInt32(2),
            r.GetString(3)));
        messages.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
        return messages;
    }

    private void DeleteMessages(SqliteTransaction tx, IEnumerable<long> sequences)
    {
        foreach (long sequence in sequences) _db.Exec(tx, "DELETE FROM orchestration_messages WHERE sequence = $s",
            ("$s", sequence));
    }

    private void Unlock(SqliteTransaction tx, string instanceId) =>
        _db.Exec(tx, "UPDATE instances SET lock_token = NULL, lock_owner = NULL, lock_expires_at = NULL WHERE instance_id = $id", ("$id", instanceId));

    private void DeferUntilStart(SqliteTransaction tx, string instanceId, List<StoredMessage> messages)
    {
        long? start = _db.Scalar<long?>(tx,
            "SELECT MIN(visible_at) FROM orchestration_messages WHERE instance_id = $id AND event_type = $start",
            ("$id", instanceId), ("$start", (int)EventType.ExecutionStarted));
        foreach (StoredMessage m in messages)
        {
            if (start is long at)
            {
                _db.Exec(tx, "UPDATE orchestration_messages SET visible_at = $at, dequeue_count = dequeue_count - 1 WHERE sequence = $s", ("$at", at), ("$s", m.Sequence));
            }
            else
            {
                _db.Exec(tx, "DELETE FROM orchestration_messages WHERE sequence = $s", ("$s", m.Sequence));
            }
        }
    }

    private void InsertMessage(SqliteTransaction tx, string instanceId, EventType type, long visibleAt,
        string payload) =>
        _db.Exec(tx, "INSERT INTO orchestration_messages (instance_id, event_type, visible_at, payload) VALUES ($id, $type, $at, $p)",
            ("$id", instanceId), ("$type", (int)type), ("$at", visibleAt), ("$p", payload));

    // A lease token only has to be unique, not secret: a random prefix per process and a counter. Guid.NewGuid per
    // lease (a getrandom call each) was 5-8 % of a sequential step's CPU samples.
    private static readonly string LockTokenPrefix = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
    private static long s_lockTokens;

    private static string NewLockToken() => LockTokenPrefix + Interlocked.Increment(ref s_lockTokens).ToString("x",
        System.Globalization.CultureInfo.InvariantCulture);

    private sealed record StoredMessage(long Sequence, EventType EventType, int DequeueCount, string Payload);

    private sealed record LockedInstance(string InstanceId, string ExecutionId, string Token, long LockedUntil,
        List<StoredMessage> Messages, List<string> History);

    private sealed record LockAttempt(List<LockedInstance> Locked, long? NextVisibleAt, List<Discard> Discarded);

    private sealed record Discard(string InstanceId, int Count, string Reason);
}
