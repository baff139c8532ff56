using EdgeKv.Tasks;
using Microsoft.AspNetCore.Diagnostics;

namespace EdgeKv.Functions.Http;

/// <summary>
/// Turns what escapes a handler into Azure's error shape: a malformed request is the caller's 400, a secret
/// about to be stored is a 400 that names no value, anything else a 500 that reveals nothing internal. The worker's
/// middleware and the local host's pipeline both use it.
/// </summary>
public static partial class ErrorHandling
{
    public static void UseAzureErrors(this WebApplication app)
    {
        app.UseExceptionHandler(errors => errors.Run(async context =>
        {
            Exception? error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
            IResult result = ResultFor(error);
            if (IsUnexpected(error))
            {
                ILogger logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("EdgeKv.Functions.Errors");
                LogUnhandled(logger, context.Request.Method, context.Request.Path, context.TraceIdentifier, error);
            }

            await result.ExecuteAsync(context);
        }));

        // Unknown routes answer like Azure: 404 with the error envelope.
        app.UseStatusCodePages(async status =>
        {
            HttpResponse response = status.HttpContext.Response;
            if (response.HasStarted || response.ContentLength > 0 || response.ContentType is not null) return;
            (string code, string message) = response.StatusCode switch
            {
                401 => ("Unauthorized",
                    "A valid Functions key is required in the 'code' query parameter or the x-functions-key header."),
                404 => ("NotFound", $"No route matches {status.HttpContext.Request.Method} {status.HttpContext.Request.Path}."),
                405 => ("MethodNotAllowed",
                    $"The method {status.HttpContext.Request.Method} is not allowed on {status.HttpContext.Request.Path}."),
                _ => ("Error", $"The request failed with status {response.StatusCode}."),
            };
            await AzureError.Result(response.StatusCode, code, message).ExecuteAsync(status.HttpContext);
        });
    }

    /// <summary>
    /// The answer to what escaped a function: the caller's 400 for a malformed request or a secret about to be stored,
    /// else a 500 that reveals nothing.
    /// </summary>
    public static IResult ResultFor(Exception? error) => error switch
    {
        BadHttpRequestException bad => AzureError.Result(bad.StatusCode, "BadRequest", bad.Message),
        SensitivePayloadException => AzureError.BadRequest("SensitivePayload",
            "The request would put a secret value into orchestration state; pass a reference instead."),
        global::Azure.RequestFailedException azure => DependencyFailures.From(azure, "Azure"),
        global::Azure.Identity.AuthenticationFailedException => DependencyFailures.Unavailable("Microsoft Entra ID",
            "refused EdgeKv's sign-in"),
        _ => AzureError.Result(StatusCodes.Status500InternalServerError, "InternalServerError",
            "The service hit an unexpected error; see its logs with the request's trace id."),
    };

    /// <summary>
    /// What is logged as an error: not the caller's bad request, and not Azure's refusal of it (Azure's transient
    /// failures are).
    /// </summary>
    public static bool IsUnexpected(Exception? error) =>
        error is not BadHttpRequestException and not SensitivePayloadException and not global::Azure.RequestFailedException { Status: >= 400 and < 500 };

    [LoggerMessage(2001, LogLevel.Error, "Unhandled error in {Method} {Path} (trace {TraceId}).")]
    private static partial void LogUnhandled(ILogger logger, string method, string path, string traceId,
        Exception? exception);
}
