using EdgeKv.Functions.Triggers.Timers;

namespace EdgeKv.Functions.Health;

/// <summary>
/// The timer that starts the health sweep: every 15 minutes unless <c>timers:HealthSweep:schedule</c> (six-field NCRONTAB,
/// host.json or an app setting) says otherwise; <c>runOnStartup</c> and past-due runs are handled by the trigger.
/// </summary>
public sealed partial class HealthSweepTimerFunction(HealthSweepStarter starter, ILogger<HealthSweepTimerFunction> logger) : ITimerFunction
{
    public string Name => "HealthSweep";

    public string DefaultSchedule => "0 */15 * * * *";

    public async Task RunAsync(TimerInfo timer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        if (timer.IsPastDue) LogPastDue(logger);
        await starter.StartAsync(timer.IsStartupRun ? "timer (startup)" : timer.IsPastDue ? "timer (past due)" : "timer", cancellationToken);
    }

    [LoggerMessage(2203, LogLevel.Warning, "The health sweep timer is past due; sweeping now.")]
    private static partial void LogPastDue(ILogger logger);
}
