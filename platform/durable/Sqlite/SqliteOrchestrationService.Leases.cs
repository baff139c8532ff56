using Microsoft.Data.Sqlite;

namespace EdgeKv.Durable.Sqlite;

/// <summary>
/// The lease keeper: renews the leases of the orchestration work items and activities this host is running, in one
/// write per round. The framework would otherwise start a renewal task per episode and per activity (a task, a timer
/// and a caught cancellation exception each time, on every step of a chain); the work items tell it they never expire.
/// </summary>
public sealed partial class SqliteOrchestrationService
{
    private async Task KeepLeasesAsync(CancellationToken stop)
    {
        long lease = _settings.WorkItemLockTimeout.Ticks;
        TimeSpan round = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond * 10, lease / 4));
        try
        {
            while (true)
            {
                await Task.Delay(round, _time, stop);
                long now = Now();
                _storedActivities.SweepUntaken();
                List<SqliteOrchestrationWorkItem> instances = [.. _heldInstances.Keys.Where(i => i.LeaseExpiresAt - now <= lease / 2)];
                List<SqliteActivityWorkItem> activities = [.. _runningActivities.Keys.Where(a => a.LeaseExpiresAt - now <= lease / 2)];
                if (instances.Count + activities.Count == 0) continue;
                long until = now + lease;
                try
                {
                    await _db.WriteAsync(tx => Renew(tx, instances, activities, until), stop);
                }
                catch (SqliteException ex)
                {
                    // The next round tries again; a lease that runs out meanwhile is found lost at its commit.
                    Logs.LeaseRenewalFailed(_logger, ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Renews what is still held; a work item whose lease is gone (taken over, or let go by its checkpoint) stops being
    /// renewed, and its commit, if any, reports a loss to the framework.
    /// </summary>
    private bool Renew(
        SqliteTransaction tx, List<SqliteOrchestrationWorkItem> instances, List<SqliteActivityWorkItem> activities,
        long until)
    {
        foreach (SqliteOrchestrationWorkItem item in instances)
        {
            int renewed = _db.Exec(tx,
                "UPDATE instances SET lock_expires_at = $exp WHERE instance_id = $id AND lock_token = $t",
                ("$exp", until), ("$id", item.InstanceId), ("$t", item.LockToken));
            if (renewed == 1) item.LeaseExpiresAt = until;
            else _heldInstances.TryRemove(item, out _);
        }

        foreach (SqliteActivityWorkItem item in activities)
        {
            int renewed = _db.Exec(tx,
                "UPDATE activity_tasks SET lock_expires_at = $exp WHERE sequence = $s AND lock_token = $t",
                ("$exp", until), ("$s", item.Sequence), ("$t", item.LockToken));
            if (renewed == 1)
            {
                item.LeaseExpiresAt = until;
            }
            else
            {
                _runningActivities.TryRemove(item, out _);
            }
        }

        return true;
    }
}
