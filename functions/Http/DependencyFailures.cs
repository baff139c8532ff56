using Azure;

namespace EdgeKv.Functions.Http;

/// <summary>
/// What the caller hears when Azure answers a call EdgeKv made on its behalf with an error: Azure's refusals (4xx)
/// pass through as the same 4xx with Azure's code and reason, because they are about the caller's request; throttling,
/// server errors, timeouts and lost connections become a 503 with <c>Retry-After</c>, because trying again later is
/// the right move. Never a 500: the failure is known and named.
/// </summary>
public static class DependencyFailures
{
    /// <summary>The wait suggested when Azure gave none.</summary>
    public const int DefaultRetryAfterSeconds = 5;

    public static bool IsTransient(RequestFailedException ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        return ex.Status is 0 or 401 or 408 or 429 or >= 500;
    }

    /// <param name="ex">Azure's answer.</param>
    /// <param name="dependency">What was called, in the caller's words ("the vault", "Azure Resource Manager").</param>
    public static IResult From(RequestFailedException ex, string dependency)
    {
        ArgumentNullException.ThrowIfNull(ex);
        if (IsTransient(ex))
        {
            // 401 is EdgeKv's own credential being refused or expiring: not the caller's doing, and usually passing.
            return Unavailable(dependency, ex.Status == 0 ? "could not be reached" : $"answered {ex.Status}",
                RetryAfterOf(ex) ?? DefaultRetryAfterSeconds);
        }

        return AzureError.Result(ex.Status, ex.ErrorCode ?? $"Http{ex.Status}",
            $"{Capitalized(dependency)} refused the request: {FirstLine(ex.Message)}");
    }

    /// <summary>
    /// A 503 with <c>Retry-After</c>: <paramref name="dependency"/> <paramref name="answer"/> (for example "could not
    /// be reached").
    /// </summary>
    public static IResult Unavailable(string dependency, string answer,
        int retryAfterSeconds = DefaultRetryAfterSeconds) =>
        new RetryAfterResult(AzureError.Result(StatusCodes.Status503ServiceUnavailable, "DependencyUnavailable",
            $"{Capitalized(dependency)} {answer}; retry after {retryAfterSeconds} seconds."), retryAfterSeconds);

    /// <summary>
    /// A 503 with <c>Retry-After</c> and its own code, for an unavailability the caller should know by name.
    /// </summary>
    public static IResult ServiceUnavailable(string code, string message, int retryAfterSeconds) =>
        new RetryAfterResult(AzureError.Result(StatusCodes.Status503ServiceUnavailable, code, message),
            retryAfterSeconds);

    private static int? RetryAfterOf(RequestFailedException ex) =>
        ex.GetRawResponse() is { } response && response.Headers.TryGetValue("Retry-After", out string? value)
            && int.TryParse(value, System.Globalization.CultureInfo.InvariantCulture,
                out int seconds) && seconds is >= 0 and <= 3600
            ? seconds
            : null;

    private static string Capitalized(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static string FirstLine(string message)
    {
        int end = message.IndexOfAny(['\r', '\n']);
        return (end < 0 ? message : message[..end]).Trim();
    }

    /// <summary>The inner result with a <c>Retry-After</c> header.</summary>
    private sealed class RetryAfterResult(IResult inner, int seconds) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            ArgumentNullException.ThrowIfNull(httpContext);
            httpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return inner.ExecuteAsync(httpContext);
        }
    }
}
