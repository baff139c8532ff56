using EdgeKv.Durable.History;

namespace EdgeKv.Durable.Worker;

/// <summary>What one episode of an orchestration produced: history to append, actions to dispatch, and the outcome.</summary>
internal sealed record OrchestrationEpisode(
    IReadOnlyList<HistoryEvent> NewHistory,
    IReadOnlyList<OrchestratorAction> NewActions,
    OrchestrationRuntimeStatus Status,
    string? CustomStatus,
    bool CustomStatusChanged,
    OrchestrationCompletion? Completion);

/// <summary>How an execution ended. A continued-as-new execution carries its new input and unconsumed events.</summary>
internal sealed record OrchestrationCompletion(
    OrchestrationRuntimeStatus Status,
    string? Output,
    TaskFailureDetails? FailureDetails,
    string? ContinueAsNewInput = null,
    IReadOnlyList<EventRaisedEvent>? CarryOverEvents = null);
