using System.Collections.Concurrent;
using EdgeKv.Durable.History;
using EdgeKv.Durable.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EdgeKv.Durable.Worker;

/// <summary>
/// Leases activities in batches up to the free concurrency, runs each in its own DI scope, renews leases of
/// long ones, and writes each result as a message to its orchestration, atomically with the dequeue.
/// </summary>
internal sealed class ActivityDispatcher
{
    private readonly DurableTaskRuntime _runtime;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<long, ActivityWorkItem> _running = new();

    public ActivityDispatcher(DurableTaskRuntime runtime)
    {
        _runtime = runtime;
        _logger = runtime.LoggerFactory.CreateLogger("EdgeKv.Durable.ActivityDispatcher");
    }

    public async Task<int> RunAsync(CancellationToken stopping)
    {
        DurableTaskOptions options = _runtime.Options;
        using var abort = new CancellationTokenSource();
        var pump = new WorkPump<ActivityWorkItem>(
            "activity",
            options.MaxConcurrentActivityFunctions,
            _runtime.LocalActivities,
            _runtime.ActivitySignal,
            (room, ct) => _runtime.Store.LockNextActivitiesAsync(options.WorkerId, room, options.WorkItemLease, ct),
            item => ProcessAsync(item, abort.Token),
            options.MaxPollingInterval,
            _logger);
        using var renewing = new CancellationTokenSource();
        Task renewal = RenewLeasesAsync(renewing.Token);
        Task[] running = await pump.RunAsync(stopping);

        // Graceful shutdown: what was leased ahead but not started is released at once; running activities
        // get the grace period, then are cancelled and released.
        foreach (ActivityWorkItem leased in pump.DrainLocal())
        {
            await _runtime.Store.AbandonActivityAsync(leased, CancellationToken.None);
        }

        Task all = Task.WhenAll(running);
        if (await Task.WhenAny(all, Task.Delay(options.ShutdownGracePeriod, CancellationToken.None)) != all)
        {
            await abort.CancelAsync();
        }

        await all;
        await renewing.CancelAsync();
        await renewal;
        return running.Length;
    }

    internal async Task ProcessAsync(ActivityWorkItem item, CancellationToken abort)
    {
        // An item that waited in the local queue may be near the end of its lease: renew before running,
        // and leave it to its new owner if the lease already went.
        if (item.LockedUntil - _runtime.Time.GetUtcNow().UtcDateTime < _runtime.Options.WorkItemLease / 2
            && !await _runtime.Store.RenewActivityLeaseAsync(item, _runtime.Options.WorkItemLease, CancellationToken.None))
        {
            Logs.ActivityLeaseLost(_logger, item.Name, item.TaskId, item.InstanceId);
            return;
        }

        Logs.ActivityStarting(_logger, item.Name, item.TaskId, item.InstanceId, item.DequeueCount);
        _running[item.SequenceNumber] = item;
        HistoryEvent result;
        try
        {
            result = await RunAsync(item, abort);
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            Logs.ActivityReleased(_logger, item.Name, item.TaskId, item.InstanceId);
            await _runtime.Store.AbandonActivityAsync(item, CancellationToken.None);
            return;
        }
        finally
        {
            _running.TryRemove(item.SequenceNumber, out _);
        }

        ActivityCommit commit = await _runtime.Store.CompleteActivityAsync(item, result, _runtime.FollowUpLease(0), CancellationToken.None);
        if (!commit.Completed)
        {
            Logs.ActivityLeaseLost(_logger, item.Name, item.TaskId, item.InstanceId);
            return;
        }

        if (commit.Next is not null) _runtime.HandOff(commit.Next);
        else _runtime.OrchestrationSignal.Set();
    }

    private async Task<HistoryEvent> RunAsync(ActivityWorkItem item, CancellationToken abort)
    {
        DateTime Now() => _runtime.Time.GetUtcNow().UtcDateTime;
        if (item.DequeueCount > _runtime.Options.MaxDequeueCount)
        {
            Logs.PoisonActivity(_logger, item.Name, item.TaskId, item.InstanceId, item.DequeueCount);
            DurableTaskMetrics.Poison("activity", item.Name);
            return new TaskFailedEvent(item.TaskId, new TaskFailureDetails("PoisonMessage",
                $"Activity '{item.Name}' was handed out {item.DequeueCount} times without completing (maxDequeueCount {_runtime.Options.MaxDequeueCount}).")) { Timestamp = Now() };
        }

        await using AsyncServiceScope scope = _runtime.Services.CreateAsyncScope();
        ITaskActivity? activity = _runtime.Registry.CreateActivity(item.Name, scope.ServiceProvider);
        if (activity is null)
        {
            return new TaskFailedEvent(item.TaskId, new TaskFailureDetails("ActivityNotFound", $"No activity named '{item.Name}' is registered in this worker.")) { Timestamp = Now() };
        }

        long started = _runtime.Time.GetTimestamp();
        try
        {
            object? input = _runtime.Converter.Deserialize(item.Input, activity.InputType);
            var context = new TaskActivityContext(item.Name, item.InstanceId, item.TaskId, item.DequeueCount, abort);
            object? output = await activity.RunAsync(context, input);
            string? serialized = _runtime.Converter.Serialize(output);
            Logs.ActivityCompleted(_logger, item.Name, item.TaskId, item.InstanceId);
            DurableTaskMetrics.ActivityRan(item.Name, succeeded: true, _runtime.Time.GetElapsedTime(started));
            return new TaskCompletedEvent(item.TaskId, serialized) { Timestamp = Now() };
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            Logs.ActivityFailed(_logger, item.Name, item.TaskId, item.InstanceId, ex.GetType().Name);
            DurableTaskMetrics.ActivityRan(item.Name, succeeded: false, _runtime.Time.GetElapsedTime(started));
            return new TaskFailedEvent(item.TaskId, TaskFailureDetails.FromException(ex)) { Timestamp = Now() };
        }
    }

    /// <summary>One loop renews the leases of every running activity, a third of a lease apart, so long steps keep their work.</summary>
    private async Task RenewLeasesAsync(CancellationToken stopping)
    {
        TimeSpan every = _runtime.Options.WorkItemLease / 3;
        try
        {
            while (true)
            {
                await Task.Delay(every, stopping);
                foreach (ActivityWorkItem item in _running.Values)
                {
                    if (!await _runtime.Store.RenewActivityLeaseAsync(item, _runtime.Options.WorkItemLease, stopping))
                    {
                        Logs.ActivityLeaseLost(_logger, item.Name, item.TaskId, item.InstanceId);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The dispatcher stopped.
        }
    }
}
