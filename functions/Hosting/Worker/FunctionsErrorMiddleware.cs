using EdgeKv.Functions.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace EdgeKv.Functions.Hosting.Worker;

/// <summary>
/// What escapes an HTTP function in Azure becomes Azure's error shape, as <see cref="ErrorHandling"/> does locally.
/// </summary>
public sealed partial class FunctionsErrorMiddleware(ILogger<FunctionsErrorMiddleware> logger) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            await next(context);
        }
        catch (Exception ex) when (context.GetHttpContext() is { } http && !http.Response.HasStarted)
        {
            IResult result = ErrorHandling.ResultFor(ex);
            if (ErrorHandling.IsUnexpected(ex)) LogUnhandled(logger, context.FunctionDefinition.Name,
                context.InvocationId, ex);
            context.GetInvocationResult().Value = result;
        }
    }

    [LoggerMessage(2002, LogLevel.Error, "Unhandled error in function {Function} (invocation {InvocationId}).")]
    private static partial void LogUnhandled(ILogger logger, string function, string invocationId, Exception exception);
}
