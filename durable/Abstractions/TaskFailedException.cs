namespace EdgeKv.Durable;

/// <summary>Thrown into an orchestrator when an activity or sub-orchestration it awaited failed (after its retries).</summary>
public sealed class TaskFailedException : Exception
{
    public TaskFailedException(string taskName, int taskId, TaskFailureDetails failureDetails)
        : base($"Task '{taskName}' (#{taskId}) failed with an unhandled exception: {failureDetails.ErrorMessage}")
    {
        TaskName = taskName;
        TaskId = taskId;
        FailureDetails = failureDetails;
    }

    public TaskFailedException()
        : this("unknown", -1, new TaskFailureDetails("Unknown", "unknown"))
    {
    }

    public TaskFailedException(string message)
        : this("unknown", -1, new TaskFailureDetails("Unknown", message))
    {
    }

    public TaskFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
        TaskName = "unknown";
        FailureDetails = TaskFailureDetails.FromException(innerException);
    }

    public string TaskName { get; }

    public int TaskId { get; }

    public TaskFailureDetails FailureDetails { get; }
}
