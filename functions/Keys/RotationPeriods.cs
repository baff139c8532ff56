using System.Globalization;
using System.Text.RegularExpressions;

namespace EdgeKv.Functions.Keys;

/// <summary>
/// A key's <c>rotationPeriod</c> as a duration with a unit, the way Vault writes them: <c>90d</c>, <c>720h</c>,
/// <c>3600s</c>; at least one hour, at most ten years; <c>""</c> or <c>"0"</c> turns automatic rotation off.
/// </summary>
public static partial class RotationPeriods
{
    public static readonly TimeSpan Minimum = TimeSpan.FromHours(1);
    public static readonly TimeSpan Maximum = TimeSpan.FromDays(3650);

    /// <summary>
    /// Parses a period: (true, null) for off, (true, value) for a valid period, (false, _) for anything else.
    /// </summary>
    public static (bool Valid, TimeSpan? Period) Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text is "" or "0") return (true, null);
        Match match = Rule().Match(text);
        if (!match.Success || !long.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture,
            out long amount)) return (false, null);
        double seconds = amount * match.Groups[2].Value switch { "s" => 1d, "m" => 60d, "h" => 3600d, _ => 86400d };
        if (seconds < Minimum.TotalSeconds || seconds > Maximum.TotalSeconds) return (false, null);
        return (true, TimeSpan.FromSeconds(seconds));
    }

    public static string? Format(TimeSpan? period) => period is not { } p ? null
        : p.TotalSeconds % 86400 == 0 ? $"{(long)p.TotalDays}d"
        : p.TotalSeconds % 3600 == 0 ? $"{(long)p.TotalHours}h"
        : $"{(long)p.TotalSeconds}s";

    public const string Problem = "rotationPeriod must be a duration such as 90d, 720h or 3600s, from 1h to 3650d (\"0\" turns automatic rotation off).";

    [GeneratedRegex("^([0-9]{1,10})([smhd])$")]
    private static partial Regex Rule();
}
