using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeKv.FunctionsHost.Timers;

/// <summary>
/// Runs every registered <see cref="ITimerFunction"/> on its schedule, on the host's <see cref="TimeProvider"/>:
/// at start when <c>runOnStartup</c> is set or an occurrence was missed while the host was down (past due),
/// then at each occurrence. A failed run is logged and the schedule goes on.
/// </summary>
internal sealed partial class TimerTriggerService : BackgroundService
{
    private readonly IEnumerable<ITimerFunction> _functions;
    private readonly IConfiguration _configuration;
    private readonly ScheduleStatusStore _statuses;
    private readonly TimeProvider _time;
    private readonly ILogger<TimerTriggerService> _logger;

    public TimerTriggerService(
        IEnumerable<ITimerFunction> functions,
        IConfiguration configuration,
        ScheduleStatusStore statuses,
        TimeProvider time,
        ILogger<TimerTriggerService> logger)
    {
        _functions = functions;
        _configuration = configuration;
        _statuses = statuses;
        _time = time;
        _logger = logger;
        Schedules = _functions.ToDictionary(f => f.Name,
            f => (Settings(f), TimerSchedule.Parse(Settings(f).Schedule ?? f.DefaultSchedule)));
    }

    /// <summary>
    /// Every timer's settings and parsed schedule; parsing at construction makes a bad schedule fail the start.
    /// </summary>
    public IReadOnlyDictionary<string, (TimerFunctionSettings Settings, TimerSchedule Schedule)> Schedules { get; }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
        => Task.WhenAll(_functions.Where(f => !Schedules[f.Name].Settings.Disabled).Select(f => RunScheduleAsync(f,
            stoppingToken)));

    private async Task RunScheduleAsync(ITimerFunction function, CancellationToken stopping)
    {
        (TimerFunctionSettings settings, TimerSchedule schedule) = Schedules[function.Name];
        ScheduleStatus? status = settings.UseMonitor ? await _statuses.ReadAsync(function.Name, stopping) : null;
        DateTime now = Now();
        bool pastDue = status is not null && status.Next < now;
        if (settings.RunOnStartup || pastDue)
        {
            status = await InvokeAsync(function, schedule, settings, status, pastDue, startup: settings.RunOnStartup,
                stopping);
        }

        while (!stopping.IsCancellationRequested)
        {
            DateTime next = schedule.GetNextOccurrence(Now());
            LogScheduled(_logger, function.Name, schedule.Expression, next);
            try
            {
                await Task.Delay(next - Now() is { } wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero, _time,
                    stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            status = await InvokeAsync(function, schedule, settings, status, pastDue: false, startup: false, stopping);
        }
    }

    private async Task<ScheduleStatus?> InvokeAsync(
        ITimerFunction function, TimerSchedule schedule, TimerFunctionSettings settings, ScheduleStatus? status,
        bool pastDue, bool startup, CancellationToken stopping)
    {
        DateTime started = Now();
        try
        {
            await function.RunAsync(new TimerInfo(status, pastDue, startup), stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return status;
        }
        catch (Exception ex)
        {
            LogRunFailed(_logger, function.Name, ex);
        }

        var next = new ScheduleStatus(started, schedule.GetNextOccurrence(started), Now());
        if (settings.UseMonitor) await _statuses.WriteAsync(function.Name, next, CancellationToken.None);
        return next;
    }

    /// <summary>
    /// The function's own defaults (its trigger attribute), overridden by <c>timers:{Name}</c> in host.json or app
    /// settings and turned off by the host's <c>AzureWebJobs.{Name}.Disabled</c>.
    /// </summary>
    private TimerFunctionSettings Settings(ITimerFunction function)
    {
        TimerFunctionSettings settings = function.Defaults;
        _configuration.GetSection($"timers:{function.Name}").Bind(settings);
        settings.Disabled |= FunctionDisabledSetting.IsDisabled(_configuration, function.Name);
        return settings;
    }

    private DateTime Now() => _time.GetUtcNow().UtcDateTime;

    [LoggerMessage(3001, LogLevel.Debug, "Timer {Name} ({Schedule}) next runs at {Next:o}.")]
    private static partial void LogScheduled(ILogger logger, string name, string schedule, DateTime next);

    [LoggerMessage(3002, LogLevel.Error, "Timer {Name} failed; the schedule goes on.")]
    private static partial void LogRunFailed(ILogger logger, string name, Exception exception);
}
