using EdgeKv.Activities.Healing;
using EdgeKv.Activities.Health;
using EdgeKv.Records.Alerts;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace EdgeKv.Orchestrations;

/// <summary>
/// What the two drift removals share (an access-policy entry, a vault role assignment EdgeKv did not make): the removal
/// activity, the drift alert resolved (the removed principal's at once, when the alerts are per principal; every one of
/// the kind when nothing else on the vault still drifts), the caller notified.
/// </summary>
internal static class DriftRemoval
{
    /// <summary>
    /// Runs the removal for <typeparamref name="TFlow"/>, which logs under its own category. <paramref
    /// name="principal"/>: whose alert the removal settles, when the request names it (else the removal's result may).
    /// </summary>
    public static async Task<RecoveryOutcome> RunAsync<TFlow, TRequest>(TaskOrchestrationContext context, string flow,
        string resourceName, string status, string removal, TRequest request, AlertKind drift, string? principal,
        Func<AccessPolicyRemovalResult, string> describe)
    {
        ILogger log = context.CreateReplaySafeLogger<TFlow>();
        context.SetCustomStatus(status);
        AccessPolicyRemovalResult result = await context.CallActivityAsync<AccessPolicyRemovalResult>(removal, request,
            CallPolicies.ArmCalls);
        string? settled = principal ?? result.SettledPrincipal;
        IReadOnlyList<AlertChange> resolved = result.StillFlagged == 0 || settled is not null
            ? await context.CallActivityAsync<IReadOnlyList<AlertChange>>(ResolveAlertsActivity.Name,
                new ResolveAlertsRequest(resourceName, [drift], result.StillFlagged == 0 ? null : settled),
                CallPolicies.StoreCalls)
            : [];
        string summary = describe(result);
        await context.CallActivityAsync<bool>(NotifyActivity.Name,
            new Notification("FlowCompleted", resourceName, summary, resolved), CallPolicies.NotifyCalls);
        Logs.Healed(log, flow, resourceName);
        return new RecoveryOutcome(resourceName, true, summary, resolved.Count);
    }
}
