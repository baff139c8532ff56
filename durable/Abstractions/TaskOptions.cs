namespace EdgeKv.Durable;

/// <summary>Options of one activity or sub-orchestration call.</summary>
public record TaskOptions(RetryPolicy? Retry = null)
{
    public static TaskOptions FromRetryPolicy(RetryPolicy policy) => new(policy);
}

/// <summary>Options of a sub-orchestration call: a caller-chosen instance id makes the child addressable.</summary>
public sealed record SubOrchestrationOptions(string? InstanceId = null, RetryPolicy? Retry = null) : TaskOptions(Retry);
