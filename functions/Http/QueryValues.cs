using System.Globalization;

namespace EdgeKv.Functions.Http;

/// <summary>
/// Typed query-string values for functions (which bind only strings): a value that does not parse is the caller's 400.
/// </summary>
public static class QueryValues
{
    public static string? Text(HttpRequest request, string name)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Query.TryGetValue(name, out var values) ? values.ToString() : null;
    }

    public static int? Int(HttpRequest request, string name) =>
        Text(request, name) is { } text ? int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture,
            out int value) ? value : throw Bad(name, "an integer") : null;

    public static long? Long(HttpRequest request, string name) =>
        Text(request, name) is { } text ? long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture,
            out long value) ? value : throw Bad(name, "an integer") : null;

    public static bool? Bool(HttpRequest request, string name) =>
        Text(request, name) is { } text ? bool.TryParse(text, out bool value) ? value : throw Bad(name,
            "true or false") : null;

    public static DateTimeOffset? Time(HttpRequest request, string name) =>
        Text(request, name) is { } text ? DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal,
            out DateTimeOffset value) ? value : throw Bad(name, "a date and time (ISO 8601)") : null;

    private static BadHttpRequestException Bad(string name,
        string expected) => new($"The query parameter '{name}' must be {expected}.", StatusCodes.Status400BadRequest);
}
