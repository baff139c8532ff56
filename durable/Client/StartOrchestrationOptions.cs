namespace EdgeKv.Durable;

/// <summary>How to start an instance: a caller-chosen id (for de-duplication) and an optional delayed start.</summary>
public sealed record StartOrchestrationOptions(string? InstanceId = null, DateTimeOffset? StartAt = null);
