namespace EdgeKv.FunctionsHost.Timers;

/// <summary>One timer's settings (section <c>timers:{Name}</c>), as host.json or an app setting gives them.</summary>
public sealed class TimerFunctionSettings
{
    public string? Schedule { get; set; }

    /// <summary>Also run once when the host starts, whatever the schedule says.</summary>
    public bool RunOnStartup { get; set; }

    /// <summary>
    /// Persist the schedule status, so an occurrence missed while the host was down runs at start (past due).
    /// </summary>
    public bool UseMonitor { get; set; } = true;

    public bool Disabled { get; set; }
}
