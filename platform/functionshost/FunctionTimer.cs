using System.Text.RegularExpressions;
using EdgeKv.FunctionsHost.Timers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WorkerTimerInfo = Microsoft.Azure.Functions.Worker.TimerInfo;
using WorkerScheduleStatus = Microsoft.Azure.Functions.Worker.ScheduleStatus;

namespace EdgeKv.FunctionsHost;

/// <summary>
/// A <c>[TimerTrigger]</c> function run by <see cref="TimerTriggerService"/>: its schedule is the attribute's, with
/// <c>%setting%</c> resolved from the app settings as the Functions host resolves it; <c>runOnStartup</c> and
/// <c>useMonitor</c> come from the attribute. Each run gets its own DI scope and function instance.
/// </summary>
internal sealed partial class FunctionTimer(FunctionDescriptor function, IServiceScopeFactory scopes,
    IConfiguration configuration) : ITimerFunction
{
    public string Name => function.Name;

    public string DefaultSchedule => Resolve(function.Timer!.Schedule, configuration);

    public TimerFunctionSettings Defaults => new() { RunOnStartup = function.Timer!.RunOnStartup,
        UseMonitor = function.Timer.UseMonitor };

    public async Task RunAsync(TimerInfo timer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        var info = new WorkerTimerInfo
        {
            IsPastDue = timer.IsPastDue,
            ScheduleStatus = timer.ScheduleStatus is { } s ? new WorkerScheduleStatus { Last = s.Last, Next = s.Next,
                LastUpdated = s.LastUpdated } : null,
        };
        await using AsyncServiceScope scope = scopes.CreateAsyncScope();
        object?[] arguments = FunctionBinder.Bind(function, scope.ServiceProvider, http: null, info, cancellationToken);
        await FunctionInvoker.InvokeAsync(function, scope.ServiceProvider, arguments);
    }

    /// <summary>
    /// <c>%Name%</c> is an app setting (<c>__</c> or <c>:</c> as separators); an unset one fails the start.
    /// </summary>
    internal static string Resolve(string expression, IConfiguration configuration) => Setting().Replace(expression,
        m =>
        configuration[m.Groups[1].Value.Replace("__", ":", StringComparison.Ordinal)]
        ?? throw new InvalidOperationException($"The app setting '{m.Groups[1].Value}' that the schedule '{expression}' names is not set."));

    [GeneratedRegex("%([^%]+)%")]
    private static partial Regex Setting();
}
