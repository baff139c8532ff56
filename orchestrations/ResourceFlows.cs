using EdgeKv.Activities.Lifecycle;
using Microsoft.DurableTask;

namespace EdgeKv.Orchestrations;

/// <summary>
/// Runs a flow that changes a resource's vault or identity under a mark on the resource's record, so that while it
/// runs neither the health sweep nor a device's refused call raises an alert for what the flow is changing.
/// The mark is cleared when the flow ends, whether it healed, gave up or failed.
/// </summary>
internal static class ResourceFlows
{
    public static async Task<T> RunMarkedAsync<T>(TaskOrchestrationContext context, string resourceName, string flow,
        Func<Task<T>> body)
    {
        await context.CallActivityAsync<bool>(MarkResourceFlowActivity.Name, new ResourceFlowMark(resourceName, flow),
            CallPolicies.StoreCalls);
        try
        {
            return await body();
        }
        finally
        {
            await context.CallActivityAsync<bool>(MarkResourceFlowActivity.Name,
                new ResourceFlowMark(resourceName, null), CallPolicies.StoreCalls);
        }
    }
}
