namespace EdgeKv.Functions.Http;

/// <summary>
/// 202 Accepted with a JSON body, a Location to poll and a Retry-After, as Durable Functions answers while work runs.
/// </summary>
public sealed class AcceptedJsonResult(object body, string location, int retryAfterSeconds = 1) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.Headers.Location = location;
        httpContext.Response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Results.Json(body, statusCode: StatusCodes.Status202Accepted).ExecuteAsync(httpContext);
    }
}
