using EdgeKv.Activities.Keys;
using EdgeKv.Records.Alerts;
using Microsoft.DurableTask;

namespace EdgeKv.Orchestrations.Keys;

/// <summary>
/// The health sweep's key step, kept apart from the resource checks: the drift of every distributed key in
/// its vault, as alert changes. A check that keeps failing leaves the alerts as they were; the next sweep tries again.
/// </summary>
internal static class KeyDriftSweep
{
    public static async Task<IReadOnlyList<AlertChange>> CheckAsync(TaskOrchestrationContext context)
    {
        try
        {
            return await context.CallActivityAsync<IReadOnlyList<AlertChange>>(CheckKeyDistributionsActivity.Name, 0,
                CallPolicies.CheckCalls);
        }
        catch (TaskFailedException)
        {
            return [];
        }
    }
}
