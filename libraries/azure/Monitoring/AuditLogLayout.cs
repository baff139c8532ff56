using System.Globalization;
using System.Text.RegularExpressions;

namespace EdgeKv.Azure.Monitoring;

/// <summary>
/// The date-partitioned names Azure Monitor gives audit blobs
/// (<c>resourceId=/SUBSCRIPTIONS/.../VAULTS/NAME/y=YYYY/m=MM/d=DD/h=HH/m=00/PT1H.json</c>, UTC), and the fewest
/// prefixes that cover a time window: whole years, months and days where the window holds them, hours at its ragged
/// ends. A reader lists those prefixes only, so a one-hour query of a vault with a year of logs lists and reads that
/// hour.
/// </summary>
public static partial class AuditLogLayout
{
    /// <summary>
    /// The blob-name prefix of a vault's audit logs: <c>resourceId=/SUBSCRIPTIONS/.../VAULTS/NAME/</c>.
    /// </summary>
    public static string VaultPrefix(string vaultResourceId)
    {
        ArgumentException.ThrowIfNullOrEmpty(vaultResourceId);
        return $"resourceId={vaultResourceId.TrimEnd('/').ToUpperInvariant()}/";
    }

    /// <summary>The blob name of one hour of a vault's audit records.</summary>
    public static string BlobName(string vaultResourceId, DateTimeOffset hour) =>
        VaultPrefix(vaultResourceId) + string.Create(CultureInfo.InvariantCulture,
            $"{HourPath(hour.UtcDateTime)}m=00/PT1H.json");

    /// <summary>The hour (UTC) a blob name gives, or null when the name is not in Azure's layout.</summary>
    public static DateTimeOffset? HourOf(string blobName)
    {
        ArgumentNullException.ThrowIfNull(blobName);
        var match = HourPattern().Match(blobName);
        if (!match.Success)
        {
            return null;
        }

        int Part(string name) => int.Parse(match.Groups[name].Value, NumberStyles.None, CultureInfo.InvariantCulture);
        try
        {
            return new DateTimeOffset(Part("y"), Part("mo"), Part("d"), Part("h"), 0, 0, TimeSpan.Zero);
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>
    /// Prefixes under <paramref name="vaultResourceId"/> whose blobs together hold every hour that overlaps [<paramref
    /// name="from"/>, <paramref name="to"/>) and no other: aligned years, months and days the window holds whole,
    /// single hours elsewhere. An empty window gives none.
    /// </summary>
    public static IReadOnlyList<string> PrefixesFor(string vaultResourceId, DateTimeOffset from, DateTimeOffset to)
    {
        var vault = VaultPrefix(vaultResourceId);
        var start = FloorHour(from.UtcDateTime);
        var end = to.UtcDateTime;
        end = FloorHour(end) == end ? end : FloorHour(end).AddHours(1);
        var prefixes = new List<string>();
        for (var cursor = start; cursor < end;)
        {
            if (cursor.Month == 1 && cursor.Day == 1 && cursor.Hour == 0 && cursor.AddYears(1) <= end)
            {
                prefixes.Add(vault + string.Create(CultureInfo.InvariantCulture, $"y={cursor.Year:D4}/"));
                cursor = cursor.AddYears(1);
            }
            else if (cursor.Day == 1 && cursor.Hour == 0 && cursor.AddMonths(1) <= end)
            {
                prefixes.Add(vault + string.Create(CultureInfo.InvariantCulture,
                    $"y={cursor.Year:D4}/m={cursor.Month:D2}/"));
                cursor = cursor.AddMonths(1);
            }
            else if (cursor.Hour == 0 && cursor.AddDays(1) <= end)
            {
                prefixes.Add(vault + string.Create(CultureInfo.InvariantCulture,
                    $"y={cursor.Year:D4}/m={cursor.Month:D2}/d={cursor.Day:D2}/"));
                cursor = cursor.AddDays(1);
            }
            else
            {
                prefixes.Add(vault + HourPath(cursor));
                cursor = cursor.AddHours(1);
            }
        }

        return prefixes;
    }

    private static string HourPath(DateTime hour) =>
        string.Create(CultureInfo.InvariantCulture,
            $"y={hour.Year:D4}/m={hour.Month:D2}/d={hour.Day:D2}/h={hour.Hour:D2}/");

    private static DateTime FloorHour(DateTime time) => new(time.Year, time.Month, time.Day, time.Hour, 0, 0,
        DateTimeKind.Utc);

    [GeneratedRegex(@"/y=(?<y>\d{4})/m=(?<mo>\d{2})/d=(?<d>\d{2})/h=(?<h>\d{2})/m=00/PT1H\.json$",
        RegexOptions.CultureInvariant)]
    private static partial Regex HourPattern();
}
