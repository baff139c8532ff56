using EdgeKv.Activities;
using Microsoft.DurableTask;

namespace EdgeKv.Orchestrations;

/// <summary>
/// The retry policies of EdgeKv's activity calls, one per kind of dependency, shared by every orchestrator so a flow
/// that calls Resource Manager retries it the same way whichever flow it is. Waits between attempts are durable timers.
/// </summary>
internal static class CallPolicies
{
    /// <summary>
    /// Resource Manager calls: throttling, 5xx and timeouts retried with backoff (the SDK honours Retry-After inside
    /// each attempt); refusals never.
    /// </summary>
    public static readonly TaskOptions ArmCalls = TaskOptions.FromRetryPolicy(new RetryPolicy(8,
        TimeSpan.FromSeconds(1), 2, TimeSpan.FromSeconds(15))
    {
        HandleFailure = IsTransient,
    });

    /// <summary>
    /// Key Vault data-plane calls (CIK, proving the identity's access): the same kinds of transient failure, a shorter
    /// cap.
    /// </summary>
    public static readonly TaskOptions VaultDataCalls = TaskOptions.FromRetryPolicy(new RetryPolicy(8,
        TimeSpan.FromSeconds(1), 2, TimeSpan.FromSeconds(10))
    {
        HandleFailure = IsTransient,
    });

    /// <summary>Validation steps: a refusal fails the flow at once; only transport trouble is retried.</summary>
    public static readonly TaskOptions ValidationCalls = TaskOptions.FromRetryPolicy(new RetryPolicy(5,
        TimeSpan.FromSeconds(1), 2, TimeSpan.FromSeconds(10))
    {
        HandleFailure = IsTransient,
    });

    /// <summary>EdgeKv's own store: local, so a couple of quick retries.</summary>
    public static readonly TaskOptions StoreCalls = TaskOptions.FromRetryPolicy(new RetryPolicy(3,
        TimeSpan.FromMilliseconds(500)));

    /// <summary>
    /// Health checks read Azure: transient failures retried with backoff; a page that keeps failing fails the sweep
    /// (the next one tries again).
    /// </summary>
    public static readonly TaskOptions CheckCalls = TaskOptions.FromRetryPolicy(new RetryPolicy(4,
        TimeSpan.FromSeconds(1), 2, TimeSpan.FromSeconds(10)));

    /// <summary>The notification webhook may be down for a while: many attempts, capped at a minute apart.</summary>
    public static readonly TaskOptions NotifyCalls = TaskOptions.FromRetryPolicy(new RetryPolicy(6,
        TimeSpan.FromSeconds(1), 2, TimeSpan.FromMinutes(1)));

    internal static bool IsTransient(TaskFailureDetails failure) => !failure.IsCausedBy<ActivationRefusedException>();
}
