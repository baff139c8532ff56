using Microsoft.DurableTask;

namespace EdgeKv.Orchestrations.Keys;

/// <summary>
/// Retry policies of the key flows' vault calls: transient failures (throttling, 5xx, timeouts, a recovered
/// soft-deleted key) are retried with backoff; refusals (a standard vault for HSM, a missing key or vault) fail the
/// flow at once.
/// </summary>
internal static class KeyCallPolicies
{
    public static readonly TaskOptions VaultCalls = TaskOptions.FromRetryPolicy(new RetryPolicy(10,
        TimeSpan.FromSeconds(1), 2, TimeSpan.FromSeconds(10))
    {
        HandleFailure = CallPolicies.IsTransient,
    });

    public static readonly TaskOptions StoreCalls = TaskOptions.FromRetryPolicy(new RetryPolicy(3,
        TimeSpan.FromMilliseconds(500))
    {
        HandleFailure = CallPolicies.IsTransient,
    });
}
