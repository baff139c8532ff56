using EdgeKv.Activities.Health;
using Microsoft.DurableTask;

namespace EdgeKv.Orchestrations;

/// <summary>
/// Delivers one notification with retries, for a starter that is not an orchestration itself (the Event Grid function
/// raising the critical alert). Orchestrations call <see cref="NotifyActivity"/> directly.
/// </summary>
[DurableTask(Name)]
public sealed class NotificationOrchestrator : TaskOrchestrator<Notification?, bool>
{
    public const string Name = "Notification";

    public override Task<bool> RunAsync(TaskOrchestrationContext context, Notification? input)
    {
        ArgumentNullException.ThrowIfNull(context);
        OrchestrationInputs.Require(input, OrchestrationInputs.Problem(input));
        return context.CallActivityAsync<bool>(NotifyActivity.Name, input, CallPolicies.NotifyCalls);
    }
}
