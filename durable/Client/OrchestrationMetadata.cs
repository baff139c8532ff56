using EdgeKv.Durable.Storage;

namespace EdgeKv.Durable;

/// <summary>What a caller may see of an instance. Inputs and outputs are present only when asked for.</summary>
public sealed record OrchestrationMetadata(
    string Name,
    string InstanceId,
    OrchestrationRuntimeStatus RuntimeStatus,
    DateTime CreatedAt,
    DateTime LastUpdatedAt,
    string? SerializedInput,
    string? SerializedOutput,
    string? SerializedCustomStatus,
    TaskFailureDetails? FailureDetails)
{
    public bool IsRunning => RuntimeStatus is OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending
        or OrchestrationRuntimeStatus.Suspended or OrchestrationRuntimeStatus.ContinuedAsNew;

    public bool IsCompleted => RuntimeStatus.IsTerminal();

    public T? ReadOutputAs<T>() => DataConverter.Default.Deserialize<T>(SerializedOutput);

    public T? ReadInputAs<T>() => DataConverter.Default.Deserialize<T>(SerializedInput);

    public T? ReadCustomStatusAs<T>() => DataConverter.Default.Deserialize<T>(SerializedCustomStatus);

    internal static OrchestrationMetadata From(OrchestrationInstance i, bool includePayloads) => new(
        i.Name,
        i.InstanceId,
        i.Status,
        i.CreatedAt,
        i.LastUpdatedAt,
        includePayloads ? i.Input : null,
        includePayloads ? i.Output : null,
        i.CustomStatus,
        i.FailureDetails);
}
