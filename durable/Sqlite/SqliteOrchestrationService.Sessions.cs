using DurableTask.Core;
using DurableTask.Core.Exceptions;
using Microsoft.Data.Sqlite;

namespace EdgeKv.Durable.Sqlite;

/// <summary>Extended sessions: the next messages of an instance this host already holds.</summary>
public sealed partial class SqliteOrchestrationService
{
    /// <summary>
    /// Waits for the instance's next visible messages under the lease the work item holds, renewing it, with its own
    /// polling backoff woken by this process's writes to the instance; null when the session has been idle for
    /// <see cref="SqliteOrchestrationServiceSettings.ExtendedSessionIdleTimeout"/> or the host stops.
    /// </summary>
    internal async Task<IList<TaskMessage>?> FetchSessionMessagesAsync(SqliteOrchestrationWorkItem item)
    {
        AsyncSignal signal = _sessionSignals.GetOrAdd(item.InstanceId, _ => new AsyncSignal());
        var backoff = new PollingBackoff(_settings.MinPollingInterval, _settings.MaxPollingInterval);
        long deadline = Now() + _settings.ExtendedSessionIdleTimeout.Ticks;
        CancellationToken shutdown = _shutdown.Token;
        try
        {
            while (!shutdown.IsCancellationRequested)
            {
                Task signalled = signal.WaitHandle;
                SessionFetch fetch = await _db.WriteAsync(tx => TryFetchSessionMessages(tx, item), shutdown);
                if (fetch.Lost) throw new SessionAbortedException($"The lease on instance '{item.InstanceId}' was lost.");
                if (fetch.Poisoned) throw new SessionAbortedException($"A message of instance '{item.InstanceId}' is poison; the instance is released to be failed.");
                item.LockedUntilUtc = new DateTime(fetch.LockedUntil, DateTimeKind.Utc);
                if (fetch.Messages.Count > 0) return ToTaskMessages(fetch.Messages);

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

    internal void EndSession(SqliteOrchestrationWorkItem item) => _sessionSignals.TryRemove(item.InstanceId, out _);

    private SessionFetch TryFetchSessionMessages(SqliteTransaction tx, SqliteOrchestrationWorkItem item)
    {
        long now = Now();
        long until = now + _settings.WorkItemLockTimeout.Ticks;
        int renewed = _db.Exec(tx, "UPDATE instances SET lock_expires_at = $exp WHERE instance_id = $id AND lock_token = $t",
            ("$exp", until), ("$id", item.InstanceId), ("$t", item.LockToken));
        if (renewed == 0) return new SessionFetch(true, false, [], null, 0);
        List<StoredMessage> messages = TakeMessages(tx, item.InstanceId, now);
        if (messages.Exists(m => m.DequeueCount > _settings.MaxDequeueCount)) return new SessionFetch(false, true, [], null, until);
        long? next = messages.Count > 0 ? null : _db.Scalar<long?>(tx,
            "SELECT MIN(visible_at) FROM orchestration_messages WHERE instance_id = $id AND visible_at > $now", ("$id", item.InstanceId), ("$now", now));
        return new SessionFetch(false, false, messages, next, until);
    }

    private sealed record SessionFetch(bool Lost, bool Poisoned, List<StoredMessage> Messages, long? NextVisibleAt, long LockedUntil);
}
