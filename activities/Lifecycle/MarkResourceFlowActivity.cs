using EdgeKv.Tasks;
using Microsoft.DurableTask;
using EdgeKv.Records;

namespace EdgeKv.Activities.Lifecycle;

/// <summary>
/// Marks the start (a flow name) or the end (null) of a flow that changes the resource's vault or identity, so the
/// health sweep and the alerts raised from device calls leave the resource alone while the flow runs. Idempotent:
/// a retried mark writes the same value; a resource that is gone has nothing to mark.
/// </summary>
[DurableTask(Name)]
public sealed class MarkResourceFlowActivity(ResourceStore store,
    TimeProvider time) : TaskActivity<ResourceFlowMark, bool>
{
    public const string Name = "MarkResourceFlow";

    public override async Task<bool> RunAsync(TaskActivityContext context, ResourceFlowMark input)
    {
        ArgumentNullException.ThrowIfNull(input);
        DateTimeOffset now = time.GetUtcNow();
        ResourceRecord? updated = await store.UpdateAsync(input.ResourceName, r => input.Flow is null
            ? r with { FlowInProgress = null, FlowStartedAt = null }
            : r with { FlowInProgress = input.Flow,
                FlowStartedAt = r.FlowInProgress == input.Flow ? r.FlowStartedAt ?? now : now },
                context.CancellationToken);
        return updated is not null;
    }
}

/// <summary>Input of <see cref="MarkResourceFlowActivity"/>: the flow that starts, or null when it ends.</summary>
public sealed record ResourceFlowMark(string ResourceName, string? Flow);
