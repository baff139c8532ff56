namespace EdgeKv.Durable;

/// <summary>An instance with the requested id is already Pending, Running or Suspended; nothing was started.</summary>
public sealed class OrchestrationInstanceExistsException : InvalidOperationException
{
    public OrchestrationInstanceExistsException(string instanceId)
        : base($"An orchestration instance with id '{instanceId}' is already pending or running.")
    {
        InstanceId = instanceId;
    }

    public OrchestrationInstanceExistsException()
        : this(string.Empty)
    {
    }

    public OrchestrationInstanceExistsException(string message, Exception innerException)
        : base(message, innerException)
    {
        InstanceId = string.Empty;
    }

    public string InstanceId { get; }
}
