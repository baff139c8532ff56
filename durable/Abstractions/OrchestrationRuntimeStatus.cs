namespace EdgeKv.Durable;

/// <summary>The lifecycle of an orchestration instance. Values are persisted: append, never renumber.</summary>
public enum OrchestrationRuntimeStatus
{
    Running = 0,
    Completed = 1,
    ContinuedAsNew = 2,
    Failed = 3,
    Terminated = 5,
    Pending = 6,
    Suspended = 7,
}

public static class OrchestrationRuntimeStatusExtensions
{
    /// <summary>Completed, Failed or Terminated: nothing more will happen to the instance.</summary>
    public static bool IsTerminal(this OrchestrationRuntimeStatus status)
        => status is OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated;
}
