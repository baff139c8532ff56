using System.Globalization;
using EdgeKv.Functions.Http;
using Microsoft.DurableTask.Client;

namespace EdgeKv.Functions.DurableHttp;

/// <summary>
/// The list and purge filters of the management API (<c>createdTimeFrom</c>, <c>createdTimeTo</c>,
/// <c>runtimeStatus</c>, <c>instanceIdPrefix</c>). Times must be ISO 8601 (a date, or a date and time with an offset or
/// Z): anything else, including values a lenient parser would read as a date (<c>1.5</c>), is a 400.
/// </summary>
public sealed record InstanceFilter(DateTimeOffset? CreatedFrom, DateTimeOffset? CreatedTo,
    IReadOnlyList<OrchestrationRuntimeStatus> Statuses, string? InstanceIdPrefix)
{
    private static readonly string[] s_isoFormats =
    [
        "yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ss",
            "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
    ];

    public static bool TryRead(HttpRequest request, out InstanceFilter? filter, out IResult? error)
    {
        filter = null;
        if (!TryTime(request, "createdTimeFrom", out DateTimeOffset? from, out error) || !TryTime(request,
            "createdTimeTo", out DateTimeOffset? to, out error)) return false;
        var statuses = new List<OrchestrationRuntimeStatus>();
        foreach (string part in request.Query["runtimeStatus"].SelectMany(v => (v ?? string.Empty).Split(',',
            StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (!Enum.TryParse(part, ignoreCase: true,
                out OrchestrationRuntimeStatus status) || !Enum.IsDefined(status) || int.TryParse(part, out _))
            {
                error = AzureError.BadRequest("InvalidQueryParameter", $"runtimeStatus '{part}' is not one of {string.Join(", ", Enum.GetNames<OrchestrationRuntimeStatus>())}.");
                return false;
            }

            statuses.Add(status);
        }

        if (from is not null && to is not null && to < from)
        {
            error = AzureError.BadRequest("InvalidQueryParameter", "createdTimeTo must not be before createdTimeFrom.");
            return false;
        }

        filter = new InstanceFilter(from, to, statuses, request.Query["instanceIdPrefix"].FirstOrDefault());
        return true;
    }

    private static bool TryTime(HttpRequest request, string name, out DateTimeOffset? value, out IResult? error)
    {
        value = null;
        error = null;
        if (!request.Query.TryGetValue(name, out var text)) return true;
        if (DateTimeOffset.TryParseExact(text.ToString(), s_isoFormats, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset parsed))
        {
            value = parsed;
            return true;
        }

        error = AzureError.BadRequest("InvalidQueryParameter",
            $"{name} must be an ISO 8601 time, such as 2026-01-31T00:00:00Z.");
        return false;
    }
}
