using DurableTask.Core;
using EdgeKv.Tasks;

namespace EdgeKv.Durable.Worker;

/// <summary>
/// Wraps the SDK's orchestration shim to count instances that finish: the orchestrator's task completes (or fails) only
/// in the episode where the orchestration ends.
/// </summary>
internal sealed class MeasuredOrchestration(string name, TaskOrchestration inner) : TaskOrchestration
{
    public override async Task<string> Execute(OrchestrationContext context, string input)
    {
        try
        {
            string output = await inner.Execute(context, input);
            DurableTaskMetrics.InstanceFinished(name, "Completed");
            return output;
        }
        catch (Exception)
        {
            DurableTaskMetrics.InstanceFinished(name, "Failed");
            throw;
        }
    }

    public override void RaiseEvent(OrchestrationContext context, string name,
        string input) => inner.RaiseEvent(context, name, input);

    public override string GetStatus() => inner.GetStatus();
}
