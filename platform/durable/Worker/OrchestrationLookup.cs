using DurableTask.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Shims;

namespace EdgeKv.Durable.Worker;

/// <summary>
/// The framework asks for an orchestration by name; the SDK registry makes it and the shim factory adapts it.
/// </summary>
internal sealed class OrchestrationLookup(IDurableTaskFactory factory, DurableTaskShimFactory shims,
    IServiceProvider services)
    : INameVersionObjectManager<TaskOrchestration>
{
    public void Add(ObjectCreator<TaskOrchestration> creator)
        => throw new NotSupportedException("Orchestrators are added to the DurableTaskRegistry, not to the worker.");

    public TaskOrchestration? GetObject(string name, string? version)
    {
        var taskName = new TaskName(name);
        return factory.TryCreateOrchestrator(taskName, services,
            out ITaskOrchestrator? orchestrator) && orchestrator is not null
            ? new MeasuredOrchestration(name, shims.CreateOrchestration(taskName, orchestrator))
            : null;
    }
}
