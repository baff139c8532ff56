namespace EdgeKv.Orchestrations;

/// <summary>
/// An orchestration was started with an input its rule refuses (see <see cref="OrchestrationInputs"/>); the instance
/// fails with the reason.
/// </summary>
public sealed class InvalidOrchestrationInputException : ArgumentException
{
    public InvalidOrchestrationInputException(string message)
        : base(message)
    {
    }

    public InvalidOrchestrationInputException()
    {
    }

    public InvalidOrchestrationInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
