namespace EdgeKv.Durable;

/// <summary>
/// Whether the task hub is open and the worker's dispatchers run; the host's readiness probe reads it.
/// </summary>
public interface IDurableTaskHealth
{
    bool IsReady { get; }
}
