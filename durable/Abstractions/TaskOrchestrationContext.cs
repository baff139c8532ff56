using Microsoft.Extensions.Logging;

namespace EdgeKv.Durable;

/// <summary>
/// Everything an orchestrator may do. Every call either reads replayed history or records a new action,
/// so the same code gives the same result on every replay.
/// </summary>
public abstract class TaskOrchestrationContext
{
    public abstract string Name { get; }

    public abstract string InstanceId { get; }

    /// <summary>True while the code re-runs recorded history; side effects such as logging must be skipped then.</summary>
    public abstract bool IsReplaying { get; }

    /// <summary>The time recorded when the current episode started: the same on every replay.</summary>
    public abstract DateTime CurrentUtcDateTime { get; }

    public abstract Task<TResult> CallActivityAsync<TResult>(string name, object? input = null, TaskOptions? options = null);

    public Task CallActivityAsync(string name, object? input = null, TaskOptions? options = null)
        => CallActivityAsync<object?>(name, input, options);

    public abstract Task<TResult> CallSubOrchestratorAsync<TResult>(string name, object? input = null, TaskOptions? options = null);

    public Task CallSubOrchestratorAsync(string name, object? input = null, TaskOptions? options = null)
        => CallSubOrchestratorAsync<object?>(name, input, options);

    /// <summary>A durable timer: survives restarts. Cancelling it only stops the wait; the timer stays in history.</summary>
    public abstract Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken);

    public Task CreateTimer(TimeSpan delay, CancellationToken cancellationToken)
        => CreateTimer(CurrentUtcDateTime.Add(delay), cancellationToken);

    /// <summary>Waits for an event raised to this instance; events that arrived earlier are buffered. Names are case-insensitive.</summary>
    public abstract Task<T> WaitForExternalEvent<T>(string eventName, CancellationToken cancellationToken = default);

    /// <summary>Like <see cref="WaitForExternalEvent{T}(string, CancellationToken)"/>, failing with <see cref="TaskCanceledException"/> after <paramref name="timeout"/>.</summary>
    public async Task<T> WaitForExternalEvent<T>(string eventName, TimeSpan timeout)
    {
        using var timerCancellation = new CancellationTokenSource();
        using var eventCancellation = new CancellationTokenSource();
        Task<T> eventTask = WaitForExternalEvent<T>(eventName, eventCancellation.Token);
        Task timerTask = CreateTimer(timeout, timerCancellation.Token);
        Task winner = await Task.WhenAny(eventTask, timerTask);
        if (winner == eventTask)
        {
            timerCancellation.Cancel();
            return await eventTask;
        }

        eventCancellation.Cancel();
        throw new TaskCanceledException($"External event '{eventName}' was not received within {timeout}.");
    }

    /// <summary>Shown to callers of the status API while the instance runs. References only, never secret values.</summary>
    public abstract void SetCustomStatus(object? customStatus);

    /// <summary>Restarts the instance with a new input and an empty history once the orchestrator returns.</summary>
    public abstract void ContinueAsNew(object? newInput = null, bool preserveUnprocessedEvents = true);

    /// <summary>A GUID derived from the instance id and the replay position: the same on every replay.</summary>
    public abstract Guid NewGuid();

    public abstract T? GetInput<T>();

    /// <summary>A logger that writes only when the code is not replaying, so each line appears once.</summary>
    public abstract ILogger CreateReplaySafeLogger(string categoryName);

    public ILogger CreateReplaySafeLogger<T>() => CreateReplaySafeLogger(typeof(T).FullName ?? typeof(T).Name);
}
