namespace EdgeKv.FunctionsHost.Timers;

/// <summary>A function the host runs on a schedule, like an Azure Functions timer trigger.</summary>
public interface ITimerFunction
{
    /// <summary>
    /// The function's name; its settings live under <c>timers:{Name}</c> (host.json or app settings).
    /// </summary>
    string Name { get; }

    /// <summary>The schedule used when no setting gives one.</summary>
    string DefaultSchedule { get; }

    /// <summary>
    /// The settings used when <c>timers:{Name}</c> gives none (a fresh object per call: the host binds settings onto
    /// it).
    /// </summary>
    TimerFunctionSettings Defaults => new();

    Task RunAsync(TimerInfo timer, CancellationToken cancellationToken);
}

/// <summary>What a timer function knows about the occurrence it runs for.</summary>
public sealed record TimerInfo(ScheduleStatus? ScheduleStatus, bool IsPastDue, bool IsStartupRun);

/// <summary>The persisted state of a schedule: when it last ran and when it is due next.</summary>
public sealed record ScheduleStatus(DateTime Last, DateTime Next, DateTime LastUpdated);
