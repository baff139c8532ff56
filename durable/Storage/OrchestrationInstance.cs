namespace EdgeKv.Durable.Storage;

/// <summary>The stored state of one orchestration instance (its latest execution).</summary>
public sealed record OrchestrationInstance(
    string InstanceId,
    string ExecutionId,
    string Name,
    OrchestrationRuntimeStatus Status,
    string? Input,
    string? Output,
    string? CustomStatus,
    TaskFailureDetails? FailureDetails,
    DateTime CreatedAt,
    DateTime LastUpdatedAt,
    DateTime? CompletedAt,
    string? ParentInstanceId,
    int HistoryCount);
