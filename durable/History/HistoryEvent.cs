using System.Text.Json.Serialization;

namespace EdgeKv.Durable.History;

/// <summary>
/// One fact in an instance's event-sourced history. The type names are persisted: add new event types,
/// never rename or reshape existing ones, since running instances replay them.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "eventType")]
[JsonDerivedType(typeof(ExecutionStartedEvent), "ExecutionStarted")]
[JsonDerivedType(typeof(OrchestratorStartedEvent), "OrchestratorStarted")]
[JsonDerivedType(typeof(TaskScheduledEvent), "TaskScheduled")]
[JsonDerivedType(typeof(TaskCompletedEvent), "TaskCompleted")]
[JsonDerivedType(typeof(TaskFailedEvent), "TaskFailed")]
[JsonDerivedType(typeof(SubOrchestrationCreatedEvent), "SubOrchestrationInstanceCreated")]
[JsonDerivedType(typeof(SubOrchestrationCompletedEvent), "SubOrchestrationInstanceCompleted")]
[JsonDerivedType(typeof(SubOrchestrationFailedEvent), "SubOrchestrationInstanceFailed")]
[JsonDerivedType(typeof(TimerCreatedEvent), "TimerCreated")]
[JsonDerivedType(typeof(TimerFiredEvent), "TimerFired")]
[JsonDerivedType(typeof(EventRaisedEvent), "EventRaised")]
[JsonDerivedType(typeof(ExecutionSuspendedEvent), "ExecutionSuspended")]
[JsonDerivedType(typeof(ExecutionResumedEvent), "ExecutionResumed")]
[JsonDerivedType(typeof(ExecutionTerminatedEvent), "ExecutionTerminated")]
[JsonDerivedType(typeof(ExecutionCompletedEvent), "ExecutionCompleted")]
public abstract record HistoryEvent
{
    public DateTime Timestamp { get; init; }

    private static readonly Dictionary<Type, string> TypeNames = typeof(HistoryEvent)
        .GetCustomAttributes(typeof(JsonDerivedTypeAttribute), false)
        .Cast<JsonDerivedTypeAttribute>()
        .ToDictionary(a => a.DerivedType, a => (string)a.TypeDiscriminator!);

    /// <summary>The persisted type name, as it appears in the history API.</summary>
    [JsonIgnore]
    public string EventType => TypeNames[GetType()];
}

/// <summary>Who started a sub-orchestration, so its result can be sent back.</summary>
public sealed record ParentInstance(string InstanceId, string ExecutionId, string Name, int TaskScheduledId);

public sealed record ExecutionStartedEvent(string Name, string ExecutionId, string? Input, ParentInstance? Parent = null) : HistoryEvent;

/// <summary>Marks the start of an episode; its timestamp is the orchestrator's current time for that episode.</summary>
public sealed record OrchestratorStartedEvent : HistoryEvent;

public sealed record TaskScheduledEvent(int TaskId, string Name, string? Input) : HistoryEvent;

public sealed record TaskCompletedEvent(int TaskScheduledId, string? Result) : HistoryEvent;

public sealed record TaskFailedEvent(int TaskScheduledId, TaskFailureDetails FailureDetails) : HistoryEvent;

public sealed record SubOrchestrationCreatedEvent(int TaskId, string Name, string InstanceId, string? Input) : HistoryEvent;

public sealed record SubOrchestrationCompletedEvent(int TaskScheduledId, string? Result) : HistoryEvent;

public sealed record SubOrchestrationFailedEvent(int TaskScheduledId, TaskFailureDetails FailureDetails) : HistoryEvent;

public sealed record TimerCreatedEvent(int TaskId, DateTime FireAt) : HistoryEvent;

public sealed record TimerFiredEvent(int TimerId, DateTime FireAt) : HistoryEvent;

public sealed record EventRaisedEvent(string Name, string? Input) : HistoryEvent;

public sealed record ExecutionSuspendedEvent(string? Reason) : HistoryEvent;

public sealed record ExecutionResumedEvent(string? Reason) : HistoryEvent;

public sealed record ExecutionTerminatedEvent(string? Reason) : HistoryEvent;

public sealed record ExecutionCompletedEvent(OrchestrationRuntimeStatus Status, string? Result, TaskFailureDetails? FailureDetails) : HistoryEvent;
