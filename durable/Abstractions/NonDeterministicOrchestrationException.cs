namespace EdgeKv.Durable;

/// <summary>The orchestrator's code took a different path on replay than the one its history records.</summary>
public sealed class NonDeterministicOrchestrationException : Exception
{
    public NonDeterministicOrchestrationException(int taskId, string expected, string actual)
        : base($"Non-deterministic workflow detected at task #{taskId}: the history expects {expected}, but the code did {actual}. " +
               "Orchestrators must not branch on wall-clock time, random values, I/O or changed code; version the orchestrator instead.")
    {
        Expected = expected;
        Actual = actual;
    }

    public NonDeterministicOrchestrationException()
        : this(-1, "unknown", "unknown")
    {
    }

    public NonDeterministicOrchestrationException(string message)
        : base(message)
    {
        Expected = Actual = string.Empty;
    }

    public NonDeterministicOrchestrationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Expected = Actual = string.Empty;
    }

    public string Expected { get; }

    public string Actual { get; }
}
