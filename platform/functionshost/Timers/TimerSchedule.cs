using System.Globalization;
using NCrontab;

namespace EdgeKv.FunctionsHost.Timers;

/// <summary>
/// A timer's schedule, read as Azure Functions reads it: a six-field NCRONTAB expression
/// ("{second} {minute} {hour} {day} {month} {day-of-week}", UTC) or a constant interval ("hh:mm:ss").
/// </summary>
public sealed class TimerSchedule
{
    private readonly CrontabSchedule? _cron;
    private readonly TimeSpan? _interval;

    private TimerSchedule(string expression, CrontabSchedule? cron, TimeSpan? interval)
    {
        Expression = expression;
        _cron = cron;
        _interval = interval;
    }

    public string Expression { get; }

    public static TimerSchedule Parse(string expression)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(expression);
        string text = expression.Trim();
        if (text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 6
            && CrontabSchedule.TryParse(text, new CrontabSchedule.ParseOptions { IncludingSeconds = true }) is { } cron)
        {
            return new TimerSchedule(text, cron, null);
        }

        if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out TimeSpan interval) && interval > TimeSpan.Zero)
        {
            return new TimerSchedule(text, null, interval);
        }

        throw new FormatException(
            $"'{expression}' is not a timer schedule: use six NCRONTAB fields with seconds (for example \"0 */5 * * * *\") or an interval such as \"00:05:00\".");
    }

    /// <summary>The first occurrence strictly after <paramref name="after"/> (UTC).</summary>
    public DateTime GetNextOccurrence(DateTime after)
        => _cron is not null ? _cron.GetNextOccurrence(after) : after + _interval!.Value;

    public override string ToString() => Expression;
}
