using EdgeKv.Durable.History;
using EdgeKv.Durable.Storage;
using Microsoft.Extensions.Logging;

namespace EdgeKv.Durable.Worker;

/// <summary>
/// Leases instances that have messages, runs one episode each (replaying history or reusing a cached
/// executor), and saves the episode in one transaction.
/// </summary>
internal sealed class OrchestrationDispatcher
{
    private readonly DurableTaskRuntime _runtime;
    private readonly ExecutorCache _cache;
    private readonly ILogger _logger;

    public OrchestrationDispatcher(DurableTaskRuntime runtime)
    {
        _runtime = runtime;
        _cache = new ExecutorCache(runtime.Options.ExtendedSessionCacheSize);
        _logger = runtime.LoggerFactory.CreateLogger("EdgeKv.Durable.OrchestrationDispatcher");
    }

    public async Task RunAsync(CancellationToken stopping)
    {
        DurableTaskOptions options = _runtime.Options;
        var pump = new WorkPump<OrchestrationWorkItem>(
            "orchestration",
            options.MaxConcurrentOrchestratorFunctions,
            _runtime.LocalOrchestrations,
            _runtime.OrchestrationSignal,
            async (_, ct) => await _runtime.Store.LockNextOrchestrationAsync(options.WorkerId, options.WorkItemLease, ct) is { } item ? [item] : [],
            ProcessAsync,
            options.MaxPollingInterval,
            _logger);

        // Episodes are short and write nothing outside their transaction: let the running ones finish,
        // then release what was leased ahead so another host can take it at once.
        await Task.WhenAll(await pump.RunAsync(stopping));
        foreach (OrchestrationWorkItem leased in pump.DrainLocal())
        {
            await _runtime.Store.AbandonOrchestrationAsync(leased, CancellationToken.None);
        }
    }

    internal async Task ProcessAsync(OrchestrationWorkItem item)
    {
        OrchestrationInstance instance = item.Instance;
        try
        {
            OrchestrationCheckpoint checkpoint;
            OrchestrationExecutor? executor = null;
            if (instance.Status.IsTerminal() && item.Messages.All(m => m.Event is not ExecutionStartedEvent))
            {
                checkpoint = Unchanged(instance);
            }
            else if (item.Messages.FirstOrDefault(m => m.DequeueCount > _runtime.Options.MaxDequeueCount) is { } poison)
            {
                Logs.PoisonOrchestrationMessage(_logger, item.InstanceId, poison.DequeueCount);
                DurableTaskMetrics.Poison("orchestration", instance.Name);
                checkpoint = Fail(instance, new TaskFailureDetails("PoisonMessage",
                    $"A {poison.Event.EventType} message was handed out {poison.DequeueCount} times without being processed (maxDequeueCount {_runtime.Options.MaxDequeueCount})."));
            }
            else
            {
                (executor, checkpoint) = await RunEpisodeAsync(item);
            }

            OrchestrationCommit commit = await _runtime.Store.CompleteOrchestrationAsync(item, checkpoint, _runtime.FollowUpLease(ActivityRoom()));
            AfterCommit(item, instance, checkpoint, executor, commit);
        }
        catch (LeaseLostException)
        {
            Logs.OrchestrationLeaseLost(_logger, item.InstanceId);
        }
        catch (Exception ex)
        {
            Logs.OrchestrationAbandoned(_logger, item.InstanceId, ex);
            await _runtime.Store.AbandonOrchestrationAsync(item);
        }
    }

    private async Task<(OrchestrationExecutor?, OrchestrationCheckpoint)> RunEpisodeAsync(OrchestrationWorkItem item)
    {
        OrchestrationInstance instance = item.Instance;
        ITaskOrchestrator? orchestrator = null;
        OrchestrationExecutor? executor = _cache.Take(item.InstanceId, instance.ExecutionId, instance.HistoryCount);
        bool cached = executor is not null;
        if (executor is null)
        {
            orchestrator = _runtime.Registry.CreateOrchestrator(instance.Name, _runtime.Services);
            if (orchestrator is null)
            {
                return (null, Fail(instance, new TaskFailureDetails("OrchestratorNotFound", $"No orchestrator named '{instance.Name}' is registered in this worker.")));
            }

            executor = new OrchestrationExecutor(item.InstanceId, orchestrator, _runtime.Converter, _runtime.LoggerFactory);
            if (instance.HistoryCount > 0)
            {
                executor.Replay(await _runtime.Store.GetHistoryAsync(item.InstanceId));
            }
        }

        Logs.EpisodeStarting(_logger, item.InstanceId, item.Messages.Count, cached);
        DateTime now = _runtime.Time.GetUtcNow().UtcDateTime;
        OrchestrationEpisode episode = executor.Execute([.. item.Messages.Select(m => m.Event)], now);
        return (executor, ToCheckpoint(instance, executor, episode, now));
    }

    private static OrchestrationCheckpoint ToCheckpoint(OrchestrationInstance instance, OrchestrationExecutor executor, OrchestrationEpisode episode, DateTime now)
    {
        string executionId = executor.ExecutionId ?? instance.ExecutionId;
        var activities = new List<ActivityRequest>();
        var messages = new List<OutboundMessage>();
        foreach (OrchestratorAction action in episode.NewActions)
        {
            switch (action)
            {
                case ScheduleTaskAction t:
                    activities.Add(new ActivityRequest(t.TaskId, t.Name, t.Input));
                    break;
                case CreateTimerAction t:
                    messages.Add(new OutboundMessage(instance.InstanceId, new TimerFiredEvent(t.TaskId, t.FireAt) { Timestamp = t.FireAt }, t.FireAt));
                    break;
                case CreateSubOrchestrationAction s:
                    var parent = new ParentInstance(instance.InstanceId, executionId, instance.Name, s.TaskId);
                    messages.Add(new OutboundMessage(s.InstanceId, new ExecutionStartedEvent(s.Name, NewExecutionId(), s.Input, parent) { Timestamp = now }));
                    break;
            }
        }

        OrchestrationCompletion? completion = episode.Completion;
        string? input = episode.NewHistory.OfType<ExecutionStartedEvent>().FirstOrDefault()?.Input ?? instance.Input;
        if (completion?.Status == OrchestrationRuntimeStatus.ContinuedAsNew)
        {
            // A new generation: history starts again from the new input; unconsumed events follow it.
            messages.Add(new OutboundMessage(instance.InstanceId, new ExecutionStartedEvent(instance.Name, NewExecutionId(), completion.ContinueAsNewInput) { Timestamp = now }));
            messages.AddRange((completion.CarryOverEvents ?? []).Select(e => new OutboundMessage(instance.InstanceId, e with { Timestamp = now })));
            return new OrchestrationCheckpoint(executionId, instance.Name, OrchestrationRuntimeStatus.ContinuedAsNew, completion.ContinueAsNewInput,
                null, episode.CustomStatus ?? instance.CustomStatus, null, [], ResetHistory: true, [], messages);
        }

        if (completion is not null && executor.Parent is { } toParent)
        {
            HistoryEvent result = completion.Status == OrchestrationRuntimeStatus.Completed
                ? new SubOrchestrationCompletedEvent(toParent.TaskScheduledId, completion.Output) { Timestamp = now }
                : new SubOrchestrationFailedEvent(toParent.TaskScheduledId, completion.FailureDetails
                    ?? new TaskFailureDetails("Terminated", $"Sub-orchestration '{instance.InstanceId}' was {completion.Status.ToString().ToLowerInvariant()}.")) { Timestamp = now };
            messages.Add(new OutboundMessage(toParent.InstanceId, result));
        }

        return new OrchestrationCheckpoint(executionId, instance.Name, episode.Status, input, completion?.Output,
            episode.CustomStatusChanged ? episode.CustomStatus : instance.CustomStatus, completion?.FailureDetails,
            episode.NewHistory, ResetHistory: false, activities, messages);
    }

    /// <summary>How many activities may be leased ahead: enough to fill the local slots twice over, no more.</summary>
    private int ActivityRoom()
        => _runtime.Options.MaxConcurrentActivityFunctions * 2 - _runtime.LocalActivities.Reader.Count;

    private void AfterCommit(OrchestrationWorkItem item, OrchestrationInstance instance, OrchestrationCheckpoint checkpoint, OrchestrationExecutor? executor, OrchestrationCommit commit)
    {
        Logs.EpisodeCompleted(_logger, item.InstanceId, checkpoint.Status, checkpoint.Activities.Count, checkpoint.Messages.Count);
        if (executor is not null && checkpoint.Status is OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Suspended)
        {
            _cache.Put(item.InstanceId, executor);
        }

        if (checkpoint.Status.IsTerminal() && !instance.Status.IsTerminal())
        {
            Logs.InstanceFinished(_logger, item.InstanceId, instance.Name, checkpoint.Status);
            DurableTaskMetrics.InstanceFinished(checkpoint.Name, checkpoint.Status);
        }

        foreach (ActivityWorkItem leased in commit.LeasedActivities) _runtime.HandOff(leased);
        if (checkpoint.Activities.Count > commit.LeasedActivities.Count) _runtime.ActivitySignal.Set();
        if (commit.Next is not null) _runtime.HandOff(commit.Next);
        DateTime now = _runtime.Time.GetUtcNow().UtcDateTime;
        foreach (OutboundMessage m in checkpoint.Messages)
        {
            if (m.VisibleAt is { } due && due > now) _runtime.WakeAt(due);
            else _runtime.OrchestrationSignal.Set();
        }

        _runtime.Notifier.NotifyChanged(item.InstanceId);
    }

    private static OrchestrationCheckpoint Unchanged(OrchestrationInstance instance)
        => new(instance.ExecutionId, instance.Name, instance.Status, instance.Input, instance.Output, instance.CustomStatus,
            instance.FailureDetails, [], ResetHistory: false, [], []);

    private OrchestrationCheckpoint Fail(OrchestrationInstance instance, TaskFailureDetails failure)
    {
        DateTime now = _runtime.Time.GetUtcNow().UtcDateTime;
        HistoryEvent completed = new ExecutionCompletedEvent(OrchestrationRuntimeStatus.Failed, null, failure) { Timestamp = now };
        return new OrchestrationCheckpoint(instance.ExecutionId, instance.Name, OrchestrationRuntimeStatus.Failed, instance.Input, null,
            instance.CustomStatus, failure, [completed], ResetHistory: false, [], []);
    }

    private static string NewExecutionId() => Guid.NewGuid().ToString("N");
}
