namespace EdgeKv.Durable;

/// <summary>
/// How a failed activity or sub-orchestration is retried. Waits between attempts are durable timers,
/// so a retry survives a host restart. Declare one per kind of call, next to the orchestrator.
/// </summary>
public sealed record RetryPolicy
{
    public RetryPolicy(
        int maxNumberOfAttempts,
        TimeSpan firstRetryInterval,
        double backoffCoefficient = 1.0,
        TimeSpan? maxRetryInterval = null,
        TimeSpan? retryTimeout = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxNumberOfAttempts, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(firstRetryInterval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(backoffCoefficient, 1.0);
        MaxNumberOfAttempts = maxNumberOfAttempts;
        FirstRetryInterval = firstRetryInterval;
        BackoffCoefficient = backoffCoefficient;
        MaxRetryInterval = maxRetryInterval ?? TimeSpan.FromHours(1);
        RetryTimeout = retryTimeout;
    }

    public int MaxNumberOfAttempts { get; }

    public TimeSpan FirstRetryInterval { get; }

    public double BackoffCoefficient { get; }

    public TimeSpan MaxRetryInterval { get; }

    /// <summary>No attempt starts once this much time has passed since the first one.</summary>
    public TimeSpan? RetryTimeout { get; }

    /// <summary>Decides whether a failure is worth another attempt; by default every failure is.</summary>
    public Func<TaskFailureDetails, bool> HandleFailure { get; init; } = static _ => true;

    /// <summary>The wait before attempt <paramref name="nextAttempt"/> (2 for the first retry).</summary>
    public TimeSpan DelayBefore(int nextAttempt)
    {
        double factor = Math.Pow(BackoffCoefficient, nextAttempt - 2);
        double ticks = Math.Min(FirstRetryInterval.Ticks * factor, MaxRetryInterval.Ticks);
        return TimeSpan.FromTicks((long)ticks);
    }
}
