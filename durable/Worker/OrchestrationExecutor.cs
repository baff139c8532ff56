using EdgeKv.Durable.History;
using Microsoft.Extensions.Logging;

namespace EdgeKv.Durable.Worker;

/// <summary>
/// Runs one orchestration instance by replaying its history into the orchestrator's code, then applying new
/// events. The executor can be kept between episodes (an extended session), so a long instance is not
/// replayed from the start at every step; a fresh executor replaying the same history reaches the same state.
/// </summary>
internal sealed class OrchestrationExecutor
{
    private readonly ITaskOrchestrator _orchestrator;
    private readonly DataConverter _converter;
    private readonly ILoggerFactory _loggerFactory;
    private readonly string _instanceId;
    private readonly OrchestrationTaskScheduler _scheduler = new();
    private readonly List<HistoryEvent> _suspendedBuffer = [];
    private ReplayOrchestrationContext? _context;
    private Task<object?>? _run;
    private bool _suspended;
    private OrchestrationCompletion? _completion;
    private DateTime _pendingEpisodeStart;

    public OrchestrationExecutor(string instanceId, ITaskOrchestrator orchestrator, DataConverter converter, ILoggerFactory loggerFactory)
    {
        _instanceId = instanceId;
        _orchestrator = orchestrator;
        _converter = converter;
        _loggerFactory = loggerFactory;
    }

    /// <summary>How many history events this executor has applied; a cached executor is reusable only when it equals the stored count.</summary>
    public int AppliedHistoryCount { get; private set; }

    public string? ExecutionId { get; private set; }

    /// <summary>The orchestration that started this one as a sub-orchestration, if any.</summary>
    public ParentInstance? Parent { get; private set; }

    /// <summary>Replays recorded history; the code's decisions are checked against it.</summary>
    public void Replay(IReadOnlyList<HistoryEvent> history)
    {
        foreach (HistoryEvent e in history)
        {
            if (_completion is not null) break;
            Apply(e, replaying: true);
        }

        AppliedHistoryCount += history.Count;
    }

    /// <summary>Applies new events in one episode starting at <paramref name="now"/>.</summary>
    public OrchestrationEpisode Execute(IReadOnlyList<HistoryEvent> newEvents, DateTime now)
    {
        var newHistory = new List<HistoryEvent>();
        void Record(HistoryEvent e) => newHistory.Add(e);

        var started = new OrchestratorStartedEvent { Timestamp = now };
        Record(started);
        Apply(started, replaying: false);

        for (int i = 0; i < newEvents.Count; i++)
        {
            if (_completion is not null)
            {
                CarryOverUnprocessed(newEvents.Skip(i));
                break;
            }

            HistoryEvent e = newEvents[i];
            if (IsStaleResult(e)) continue;
            Record(e);
            Apply(e, replaying: false);
        }

        var actions = new List<OrchestratorAction>();
        if (_context is not null)
        {
            // A finished orchestrator's outstanding calls are abandoned, as in Durable Functions.
            if (_completion is null || _completion.Status == OrchestrationRuntimeStatus.ContinuedAsNew)
            {
                actions.AddRange(_context.PendingActions);
            }

            foreach (OrchestratorAction a in actions) Record(a.ToHistoryEvent(now));
            _context.PendingActions.Clear();
        }

        if (_completion is not null)
        {
            Record(new ExecutionCompletedEvent(_completion.Status, _completion.Output, _completion.FailureDetails) { Timestamp = now });
            if (_completion.Status == OrchestrationRuntimeStatus.ContinuedAsNew) actions.Clear();
        }

        AppliedHistoryCount += newHistory.Count;
        OrchestrationRuntimeStatus status = _completion?.Status ?? (_suspended ? OrchestrationRuntimeStatus.Suspended : OrchestrationRuntimeStatus.Running);
        bool statusChanged = _context?.CustomStatusChanged ?? false;
        if (_context is not null) _context.CustomStatusChanged = false;
        return new OrchestrationEpisode(newHistory, actions, status, _context?.SerializedCustomStatus, statusChanged, _completion);
    }

    /// <summary>Events that arrived in the same batch after continue-as-new belong to the next generation.</summary>
    private void CarryOverUnprocessed(IEnumerable<HistoryEvent> rest)
    {
        if (_completion is not { Status: OrchestrationRuntimeStatus.ContinuedAsNew, CarryOverEvents: { } carried }) return;
        _completion = _completion with { CarryOverEvents = [.. carried, .. rest.OfType<EventRaisedEvent>()] };
    }

    private bool IsStaleResult(HistoryEvent e) => e switch
    {
        // A duplicate or late result (an activity that ran twice, a timer already cancelled by completion) is dropped.
        TaskCompletedEvent c => _context is null || !_context.IsOpen(c.TaskScheduledId),
        TaskFailedEvent f => _context is null || !_context.IsOpen(f.TaskScheduledId),
        SubOrchestrationCompletedEvent c => _context is null || !_context.IsOpen(c.TaskScheduledId),
        SubOrchestrationFailedEvent f => _context is null || !_context.IsOpen(f.TaskScheduledId),
        TimerFiredEvent t => _context is null || !_context.IsOpen(t.TimerId),
        ExecutionStartedEvent => _context is not null,
        _ => false,
    };

    private void Apply(HistoryEvent e, bool replaying)
    {
        if (_context is not null) _context.IsReplayingInternal = replaying;
        try
        {
            if (_suspended && e is not (ExecutionResumedEvent or ExecutionTerminatedEvent or OrchestratorStartedEvent or ExecutionCompletedEvent)
                && e is not (TaskScheduledEvent or TimerCreatedEvent or SubOrchestrationCreatedEvent))
            {
                _suspendedBuffer.Add(e);
                return;
            }

            Dispatch(e, replaying);
            _scheduler.Drain();
            CheckForCompletion();
        }
        catch (NonDeterministicOrchestrationException ex)
        {
            _completion = new OrchestrationCompletion(OrchestrationRuntimeStatus.Failed, null, TaskFailureDetails.FromException(ex));
        }
    }

    private void Dispatch(HistoryEvent e, bool replaying)
    {
        switch (e)
        {
            case OrchestratorStartedEvent:
                if (_context is not null) _context.CurrentUtc = e.Timestamp;
                _pendingEpisodeStart = e.Timestamp;
                break;
            case ExecutionStartedEvent started:
                Start(started, replaying);
                break;
            case TaskScheduledEvent s:
                RequireContext(e).MatchRecordedAction(s.TaskId, s);
                break;
            case TimerCreatedEvent t:
                RequireContext(e).MatchRecordedAction(t.TaskId, t);
                break;
            case SubOrchestrationCreatedEvent s:
                RequireContext(e).MatchRecordedAction(s.TaskId, s);
                break;
            case TaskCompletedEvent c:
                RequireContext(e).CompleteTask(c.TaskScheduledId, c.Result);
                break;
            case TaskFailedEvent f:
                RequireContext(e).FailTask(f.TaskScheduledId, f.FailureDetails);
                break;
            case SubOrchestrationCompletedEvent c:
                RequireContext(e).CompleteTask(c.TaskScheduledId, c.Result);
                break;
            case SubOrchestrationFailedEvent f:
                RequireContext(e).FailTask(f.TaskScheduledId, f.FailureDetails);
                break;
            case TimerFiredEvent t:
                RequireContext(e).CompleteTask(t.TimerId, null);
                break;
            case EventRaisedEvent r:
                RequireContext(e).DeliverEvent(r.Name, r.Input);
                break;
            case ExecutionSuspendedEvent:
                _suspended = true;
                break;
            case ExecutionResumedEvent:
                _suspended = false;
                HistoryEvent[] buffered = [.. _suspendedBuffer];
                _suspendedBuffer.Clear();
                foreach (HistoryEvent b in buffered)
                {
                    Dispatch(b, replaying);
                    _scheduler.Drain();
                    CheckForCompletion();
                    if (_completion is not null) return;
                }

                break;
            case ExecutionTerminatedEvent t:
                _completion = new OrchestrationCompletion(OrchestrationRuntimeStatus.Terminated, _converter.Serialize(t.Reason), null);
                break;
            case ExecutionCompletedEvent:
                break;
        }
    }

    private ReplayOrchestrationContext RequireContext(HistoryEvent e)
        => _context ?? throw new NonDeterministicOrchestrationException(-1, e.EventType, "nothing (the instance has no ExecutionStarted event)");

    private void Start(ExecutionStartedEvent started, bool replaying)
    {
        ExecutionId = started.ExecutionId;
        Parent = started.Parent;
        _context = new ReplayOrchestrationContext(started.Name, _instanceId, started.Input, _converter, _loggerFactory)
        {
            CurrentUtc = _pendingEpisodeStart,
            IsReplayingInternal = replaying,
        };

        object? input;
        try
        {
            input = _converter.Deserialize(started.Input, _orchestrator.InputType);
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or NotSupportedException)
        {
            _run = Task.FromException<object?>(new ArgumentException($"The input of orchestrator '{started.Name}' is not a valid {_orchestrator.InputType.Name}: {ex.Message}", ex));
            return;
        }

        ReplayOrchestrationContext context = _context;
        Task<Task<object?>> outer = Task.Factory.StartNew(
            () => _orchestrator.RunAsync(context, input),
            CancellationToken.None,
            TaskCreationOptions.None,
            _scheduler);
        _scheduler.Drain();
        _run = outer.IsCompletedSuccessfully ? outer.Result : Task.FromException<object?>(outer.Exception?.InnerException ?? new InvalidOperationException("The orchestrator did not start."));
    }

    private void CheckForCompletion()
    {
        if (_completion is not null || _run is null || !_run.IsCompleted) return;

        if (_run.IsCompletedSuccessfully)
        {
            if (_context!.ContinueAsNewRequest is { } next)
            {
                List<EventRaisedEvent>? carried = next.PreserveEvents
                    ? [.. _context.UnconsumedEvents().Select(e => new EventRaisedEvent(e.Name, e.Payload))]
                    : null;
                _completion = new OrchestrationCompletion(OrchestrationRuntimeStatus.ContinuedAsNew, null, null, next.Input, carried);
                return;
            }

            try
            {
                _completion = new OrchestrationCompletion(OrchestrationRuntimeStatus.Completed, _converter.Serialize(_run.Result), null);
            }
            catch (Exception ex)
            {
                _completion = new OrchestrationCompletion(OrchestrationRuntimeStatus.Failed, null, TaskFailureDetails.FromException(ex));
            }

            return;
        }

        Exception failure = _run.Exception?.InnerException ?? new TaskCanceledException("The orchestrator was canceled.");
        if (failure is NonDeterministicOrchestrationException nd) throw nd;
        _completion = new OrchestrationCompletion(OrchestrationRuntimeStatus.Failed, null, TaskFailureDetails.FromException(failure));
    }
}
