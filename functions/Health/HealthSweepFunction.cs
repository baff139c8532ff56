using Microsoft.DurableTask.Client;

namespace EdgeKv.Functions.Health;

/// <summary>
/// The timer that starts the health sweep, on the NCRONTAB schedule of the app setting <c>HealthSweepSchedule</c> (six
/// fields, UTC; every 15 minutes in infra/main.bicep and the local defaults, local.settings.sample.json), and rotates
/// the keys that are due. A run missed while the app was down runs at start (past due).
/// </summary>
public sealed partial class HealthSweepFunction(HealthSweepStarter starter,
    EdgeKv.Functions.Keys.KeyRotationScheduler keyRotations,
    EdgeKv.Functions.Device.CikRotationScheduler cikRotations, ILogger<HealthSweepFunction> logger)
{
    public const string ScheduleSetting = "HealthSweepSchedule";

    [Function("HealthSweepTimer")]
    public async Task RunAsync([TimerTrigger("%" + ScheduleSetting + "%", UseMonitor = true)] TimerInfo timer,
        [DurableClient] DurableTaskClient client, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(timer);
        if (timer.IsPastDue) LogPastDue(logger);
        await starter.StartAsync(client, timer.IsPastDue ? "timer (past due)" : "timer", ct);
        // Keys whose rotationPeriod has passed are rotated on the same schedule.
        await keyRotations.StartDueAsync(client, ct);
        // So are the Channel Integrity Keys older than their rotation period.
        await cikRotations.StartDueAsync(client, ct);
    }

    [LoggerMessage(2203, LogLevel.Warning, "The health sweep timer is past due; sweeping now.")]
    private static partial void LogPastDue(ILogger logger);
}
