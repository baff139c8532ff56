using DurableTask.Core;
using DurableTask.Core.Exceptions;
using Microsoft.Data.Sqlite;

namespace EdgeKv.Durable.Sqlite;

/// <summary>Extended sessions: the next messages of an instance this host already holds.</summary>
public sealed partial class SqliteOrchestrationService
{
    /// <summary>
    /// Waits for the instance's next messages under the lease the work item holds, with its own polling backoff woken
    /// by this process's writes to the instance; null when the session has been idle for <see
    /// cref="SqliteOrchestrationServiceSettings.ExtendedSessionIdleTimeout"/> or the host stops. Activity results
    /// handed to the session's inbox are returned without a database round trip while the lease has more than half its
    /// time left; otherwise the fetch goes to the database, which also renews the lease and checks it is still held.
    /// </summary>
    internal async Task<IList<TaskMessage>?> FetchSessionMessagesAsync(SqliteOrchestrationWorkItem item)
    {
        SessionInbox inbox = item.Inbox ?? throw new InvalidOperationException("The work item has no session.");
        var backoff = new PollingBackoff(_settings.MinPollingInterval, _settings.MaxPollingInterval);
        long deadline = Now() + _settings.ExtendedSessionIdleTimeout.Ticks;
        long halfLease = _settings.WorkItemLockTimeout.Ticks / 2;
        CancellationToken shutdown = _shutdown.Token;
        try
        {
            while (!shutdown.IsCancellationRequested)
            {
                Task signalled = inbox.Signal.WaitHandle;
                if (!inbox.IsEmpty && item.LeaseExpiresAt - Now() > halfLease) return inbox.Drain();

                SessionFetch fetch = await _db.WriteAsync(tx => TryFetchSessionMessages(tx, item, inbox), shutdown);
                if (fetch.Lost) throw new SessionAbortedException($"The lease on instance '{item.InstanceId}' was lost.");
                if (fetch.Poisoned) throw new SessionAbortedException($"A message of instance '{item.InstanceId}' is poison; the instance is released to be failed.");
                item.LeaseExpiresAt = fetch.LockedUntil;
                if (fetch.FromInbox.Count > 0 || fetch.Stored.Count > 0)
                {
                    List<TaskMessage> messages = fetch.FromInbox;
                    messages.AddRange(ToTaskMessages(fetch.Stored));
                    return messages;
                }

                long now = Now();
                if (now >= deadline) return null;
                TimeSpan? untilVisible = fetch.NextVisibleAt is long at ? TimeSpan.FromTicks(at - now) : null;
                TimeSpan wait = backoff.Next(untilVisible);
                if (wait.Ticks > deadline - now) wait = TimeSpan.FromTicks(deadline - now);
                if (await AsyncSignal.WaitAsync(signalled, wait, _time, shutdown)) backoff.Reset();
            }
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
        {
        }

        return null;
    }

    internal void EndSession(SqliteOrchestrationWorkItem item)
    {
        if (item.Inbox is { } inbox) _sessions.TryRemove(new KeyValuePair<string, SessionInbox>(item.InstanceId,
            inbox));
    }

    /// <summary>
    /// Inside a write: hands an activity result straight to the session of this process that holds the instance, if
    /// one does (the message is stored all the same).
    /// </summary>
    private void HandToSession(string instanceId, string? holder, TaskMessage message)
    {
        if (holder is not null && _sessions.TryGetValue(instanceId,
            out SessionInbox? inbox) && inbox.LockToken == holder) inbox.Add(message);
    }

    private SessionFetch TryFetchSessionMessages(SqliteTransaction tx, SqliteOrchestrationWorkItem item,
        SessionInbox inbox)
    {
        long now = Now();
        long until = now + _settings.WorkItemLockTimeout.Ticks;
        int renewed = _db.Exec(tx,
            "UPDATE instances SET lock_expires_at = $exp WHERE instance_id = $id AND lock_token = $t",
            ("$exp", until), ("$id", item.InstanceId), ("$t", item.LockToken));
        if (renewed == 0) return new SessionFetch(true, false, [], [], null, 0);

        // Under the database's lock no write can add to the inbox meanwhile: what the inbox holds is left out of the
        // stored messages, so nothing is delivered twice.
        List<TaskMessage> fromInbox = inbox.Drain();
        var inInbox = new HashSet<long>(fromInbox.Select(m => m.SequenceNumber));
        List<StoredMessage> stored = TakeMessages(tx, item.InstanceId, now);
        if (stored.Exists(m => m.DequeueCount > _settings.MaxDequeueCount && !inInbox.Contains(m.Sequence)))
        {
            return new SessionFetch(false, true, [], [], null, until);
        }

        stored.RemoveAll(m => inInbox.Contains(m.Sequence));
        long? next = stored.Count + fromInbox.Count > 0 ? null : _db.Scalar<long?>(tx,
            "SELECT MIN(visible_at) FROM orchestration_messages WHERE instance_id = $id AND visible_at > $now",
            ("$id", item.InstanceId), ("$now", now));
        return new SessionFetch(false, false, fromInbox, stored, next, until);
    }

    private sealed record SessionFetch(bool Lost, bool Poisoned, List<TaskMessage> FromInbox,
        List<StoredMessage> Stored, long? NextVisibleAt, long LockedUntil);
}
