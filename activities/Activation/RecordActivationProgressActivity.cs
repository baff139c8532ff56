using EdgeKv.Tasks;
using Microsoft.DurableTask;
using EdgeKv.Records;

namespace EdgeKv.Activities.Activation;

/// <summary>Records the activation's state and its non-blocking warnings in EdgeKv's store, for the operator.</summary>
[DurableTask(Name)]
public sealed class RecordActivationProgressActivity(ResourceStore store) : TaskActivity<ActivationProgress, bool>
{
    public const string Name = "RecordActivationProgress";

    public override async Task<bool> RunAsync(TaskActivityContext context, ActivationProgress input)
    {
        ResourceRecord? updated = await store.UpdateAsync(input.ResourceName,
            r => r with { ActivationState = input.State, ActivationWarnings = input.Warnings },
            context.CancellationToken);
        return updated is not null;
    }
}
