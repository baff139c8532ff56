using EdgeKv.Durable;
using EdgeKv.Functions.Security;

namespace EdgeKv.Local.Hosting;

/// <summary><c>/healthz</c>: ready only when the task hub is open and the dispatchers run.</summary>
public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", (IDurableTaskHealth durable) => durable.IsReady
            ? Results.Json(new { status = "Healthy", durableTask = "Running" })
            : Results.Json(new { status = "Unhealthy", durableTask = "Stopped" },
                statusCode: StatusCodes.Status503ServiceUnavailable))
            .AuthenticatedBy("none: public liveness probe");
        return app;
    }
}
