using System.Security.Cryptography;
using System.Text;
using EdgeKv.Durable.History;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeKv.Durable.Worker;

/// <summary>
/// The context an orchestrator sees. It records the actions the code asks for and completes the code's
/// tasks as the executor feeds it history; it never touches a clock, a store or the network.
/// </summary>
internal sealed class ReplayOrchestrationContext : TaskOrchestrationContext
{
    private readonly DataConverter _converter;
    private readonly ILoggerFactory _loggerFactory;
    private readonly string? _serializedInput;
    private readonly Dictionary<int, OpenTask> _openTasks = [];
    private readonly Dictionary<string, LinkedList<EventWaiter>> _eventWaiters = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Queue<string?>> _bufferedEvents = new(StringComparer.OrdinalIgnoreCase);
    private int _nextTaskId;
    private int _guidCounter;

    public ReplayOrchestrationContext(string name, string instanceId, string? serializedInput, DataConverter converter, ILoggerFactory loggerFactory)
    {
        Name = name;
        InstanceId = instanceId;
        _serializedInput = serializedInput;
        _converter = converter;
        _loggerFactory = loggerFactory;
    }

    public override string Name { get; }

    public override string InstanceId { get; }

    public override bool IsReplaying => IsReplayingInternal;

    public override DateTime CurrentUtcDateTime => CurrentUtc;

    internal bool IsReplayingInternal { get; set; }

    internal DateTime CurrentUtc { get; set; }

    /// <summary>Actions the code asked for that history does not record yet, in the order asked.</summary>
    internal List<OrchestratorAction> PendingActions { get; } = [];

    internal string? SerializedCustomStatus { get; private set; }

    internal bool CustomStatusChanged { get; set; }

    internal (string? Input, bool PreserveEvents)? ContinueAsNewRequest { get; private set; }

    public override async Task<TResult> CallActivityAsync<TResult>(string name, object? input = null, TaskOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        string? serializedInput = _converter.Serialize(input);
        string? result = await WithRetries(options?.Retry, () => Schedule(new ScheduleTaskAction(_nextTaskId++, name, serializedInput), name));
        return (TResult)_converter.Deserialize(result, typeof(TResult))!;
    }

    public override async Task<TResult> CallSubOrchestratorAsync<TResult>(string name, object? input = null, TaskOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        string? serializedInput = _converter.Serialize(input);
        string? fixedInstanceId = (options as SubOrchestrationOptions)?.InstanceId;
        string? result = await WithRetries(options?.Retry, () =>
        {
            int taskId = _nextTaskId++;
            string childId = fixedInstanceId ?? $"{InstanceId}:{taskId:D4}";
            return Schedule(new CreateSubOrchestrationAction(taskId, name, childId, serializedInput), name);
        });
        return (TResult)_converter.Deserialize(result, typeof(TResult))!;
    }

    public override Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken)
    {
        var action = new CreateTimerAction(_nextTaskId++, DateTime.SpecifyKind(fireAt, DateTimeKind.Utc));
        Task<string?> fired = Schedule(action, "timer");
        if (!cancellationToken.CanBeCanceled) return fired;

        // Cancelling stops the wait; the timer stays in history and its firing is then ignored.
        var cancellable = new TaskCompletionSource<string?>();
        CancellationTokenRegistration registration = cancellationToken.Register(() => cancellable.TrySetCanceled(cancellationToken));
        fired.ContinueWith(
            t =>
            {
                registration.Dispose();
                if (t.IsFaulted) cancellable.TrySetException(t.Exception!.InnerExceptions);
                else cancellable.TrySetResult(t.Result);
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Current);
        return cancellable.Task;
    }

    public override async Task<T> WaitForExternalEvent<T>(string eventName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(eventName);
        if (_bufferedEvents.TryGetValue(eventName, out Queue<string?>? buffered) && buffered.TryDequeue(out string? early))
        {
            if (buffered.Count == 0) _bufferedEvents.Remove(eventName);
            return (T)_converter.Deserialize(early, typeof(T))!;
        }

        var waiter = new EventWaiter();
        if (!_eventWaiters.TryGetValue(eventName, out LinkedList<EventWaiter>? waiters))
        {
            _eventWaiters[eventName] = waiters = new LinkedList<EventWaiter>();
        }

        LinkedListNode<EventWaiter> node = waiters.AddLast(waiter);
        using CancellationTokenRegistration registration = cancellationToken.Register(() =>
        {
            if (node.List is not null) waiters.Remove(node);
            waiter.Completion.TrySetCanceled(cancellationToken);
        });
        string? payload = await waiter.Completion.Task;
        return (T)_converter.Deserialize(payload, typeof(T))!;
    }

    public override void SetCustomStatus(object? customStatus)
    {
        SerializedCustomStatus = _converter.Serialize(customStatus);
        CustomStatusChanged = true;
    }

    public override void ContinueAsNew(object? newInput = null, bool preserveUnprocessedEvents = true)
        => ContinueAsNewRequest = (_converter.Serialize(newInput), preserveUnprocessedEvents);

    public override Guid NewGuid()
    {
        // Name-based (version 5 style) GUID: the same inputs on every replay give the same value.
        string name = $"{InstanceId}_{CurrentUtc:o}_{_guidCounter++}";
        byte[] hash = SHA1.HashData(Encoding.UTF8.GetBytes(name));
        Span<byte> bytes = hash.AsSpan(0, 16);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }

    public override T? GetInput<T>() where T : default => _converter.Deserialize<T>(_serializedInput);

    public override ILogger CreateReplaySafeLogger(string categoryName)
        => new ReplaySafeLogger(this, _loggerFactory.CreateLogger(categoryName));

    /// <summary>History recorded action <paramref name="recorded"/>: check the code asked for the same thing.</summary>
    internal void MatchRecordedAction(int taskId, HistoryEvent recorded)
    {
        int index = PendingActions.FindIndex(a => a.TaskId == taskId);
        if (index < 0)
        {
            throw new NonDeterministicOrchestrationException(taskId, HistoryEventDescriptions.Describe(recorded), "nothing (the code did not schedule it)");
        }

        OrchestratorAction action = PendingActions[index];
        if (!action.Matches(recorded))
        {
            throw new NonDeterministicOrchestrationException(taskId, HistoryEventDescriptions.Describe(recorded), action.Describe());
        }

        PendingActions.RemoveAt(index);
    }

    /// <summary>True when a result for <paramref name="taskId"/> is still awaited (a late duplicate is not).</summary>
    internal bool IsOpen(int taskId) => _openTasks.ContainsKey(taskId);

    internal void CompleteTask(int taskId, string? result)
    {
        if (_openTasks.Remove(taskId, out OpenTask? open)) open.Completion.TrySetResult(result);
    }

    internal void FailTask(int taskId, TaskFailureDetails failure)
    {
        if (_openTasks.Remove(taskId, out OpenTask? open))
        {
            open.Completion.TrySetException(new TaskFailedException(open.Name, taskId, failure));
        }
    }

    internal void DeliverEvent(string name, string? payload)
    {
        if (_eventWaiters.TryGetValue(name, out LinkedList<EventWaiter>? waiters) && waiters.First is { } first)
        {
            waiters.RemoveFirst();
            if (waiters.Count == 0) _eventWaiters.Remove(name);
            first.Value.Completion.TrySetResult(payload);
            return;
        }

        if (!_bufferedEvents.TryGetValue(name, out Queue<string?>? queue))
        {
            _bufferedEvents[name] = queue = new Queue<string?>();
        }

        queue.Enqueue(payload);
    }

    /// <summary>Events that arrived but that no code waited for; carried into the next generation on continue-as-new.</summary>
    internal IEnumerable<(string Name, string? Payload)> UnconsumedEvents()
        => _bufferedEvents.SelectMany(kv => kv.Value.Select(p => (kv.Key, p)));

    private Task<string?> Schedule(OrchestratorAction action, string name)
    {
        var open = new OpenTask(name, new TaskCompletionSource<string?>());
        _openTasks[action.TaskId] = open;
        PendingActions.Add(action);
        return open.Completion.Task;
    }

    private async Task<string?> WithRetries(RetryPolicy? policy, Func<Task<string?>> attempt)
    {
        if (policy is null) return await attempt();

        DateTime firstAttemptAt = CurrentUtc;
        for (int number = 1; ; number++)
        {
            try
            {
                return await attempt();
            }
            catch (TaskFailedException failure) when (number < policy.MaxNumberOfAttempts && policy.HandleFailure(failure.FailureDetails))
            {
                TimeSpan delay = policy.DelayBefore(number + 1);
                if (policy.RetryTimeout is { } timeout && CurrentUtc + delay - firstAttemptAt > timeout) throw;
                await CreateTimer(delay, CancellationToken.None);
            }
        }
    }

    private sealed record OpenTask(string Name, TaskCompletionSource<string?> Completion);

    private sealed class EventWaiter
    {
        public TaskCompletionSource<string?> Completion { get; } = new();
    }

    private sealed class ReplaySafeLogger(ReplayOrchestrationContext context, ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => !context.IsReplayingInternal && inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!context.IsReplayingInternal) inner.Log(logLevel, eventId, state, exception, formatter);
        }
    }

    internal static ILoggerFactory NoLogging => NullLoggerFactory.Instance;
}
