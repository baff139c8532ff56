using EdgeKv.Durable.History;

namespace EdgeKv.Durable.Worker;

/// <summary>Something the orchestrator's code asked for in an episode; it becomes a history event and, when new, a message.</summary>
internal abstract record OrchestratorAction(int TaskId)
{
    /// <summary>The history event that records the action; replay checks the code against it.</summary>
    public abstract HistoryEvent ToHistoryEvent(DateTime timestamp);

    public abstract string Describe();

    /// <summary>True when <paramref name="recorded"/> records this same action.</summary>
    public abstract bool Matches(HistoryEvent recorded);
}

internal sealed record ScheduleTaskAction(int TaskId, string Name, string? Input) : OrchestratorAction(TaskId)
{
    public override HistoryEvent ToHistoryEvent(DateTime timestamp) => new TaskScheduledEvent(TaskId, Name, Input) { Timestamp = timestamp };

    public override string Describe() => $"CallActivity('{Name}')";

    public override bool Matches(HistoryEvent recorded)
        => recorded is TaskScheduledEvent e && string.Equals(e.Name, Name, StringComparison.OrdinalIgnoreCase);
}

internal sealed record CreateTimerAction(int TaskId, DateTime FireAt) : OrchestratorAction(TaskId)
{
    public override HistoryEvent ToHistoryEvent(DateTime timestamp) => new TimerCreatedEvent(TaskId, FireAt) { Timestamp = timestamp };

    public override string Describe() => $"CreateTimer({FireAt:o})";

    public override bool Matches(HistoryEvent recorded) => recorded is TimerCreatedEvent;
}

internal sealed record CreateSubOrchestrationAction(int TaskId, string Name, string InstanceId, string? Input) : OrchestratorAction(TaskId)
{
    public override HistoryEvent ToHistoryEvent(DateTime timestamp)
        => new SubOrchestrationCreatedEvent(TaskId, Name, InstanceId, Input) { Timestamp = timestamp };

    public override string Describe() => $"CallSubOrchestrator('{Name}', '{InstanceId}')";

    public override bool Matches(HistoryEvent recorded)
        => recorded is SubOrchestrationCreatedEvent e && string.Equals(e.Name, Name, StringComparison.OrdinalIgnoreCase);
}

internal static class HistoryEventDescriptions
{
    public static string Describe(HistoryEvent e) => e switch
    {
        TaskScheduledEvent t => $"CallActivity('{t.Name}')",
        TimerCreatedEvent t => $"CreateTimer({t.FireAt:o})",
        SubOrchestrationCreatedEvent s => $"CallSubOrchestrator('{s.Name}', '{s.InstanceId}')",
        _ => e.EventType,
    };
}
