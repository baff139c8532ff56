using System.Net;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EdgeKv.Azure.Tests.EventGrid;

/// <summary>
/// A loopback webhook that answers like an Azure Functions Event Grid trigger: the validation handshake echoes the
/// code, notifications get 202, or a configured number of 500s first. Every request is recorded and can be awaited.
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly Channel<ReceivedRequest> received = Channel.CreateUnbounded<ReceivedRequest>();
    private int failuresLeft;

    private WebhookReceiver(WebApplication app) => this.app = app;

    public Uri Url { get; private set; } = null!;

    /// <summary>When false, the handshake answers 200 with a wrong code.</summary>
    public bool AcceptValidation { get; set; } = true;

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var receiver = new WebhookReceiver(builder.Build());
        receiver.app.MapPost("/api/events", (Func<HttpContext, Task<IResult>>)receiver.HandleAsync);
        await receiver.app.StartAsync();
        var address = receiver.app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = new Uri(address.TrimEnd('/') + "/api/events?code=functions-system-key");
        return receiver;
    }

    /// <summary>The next <paramref name="count"/> notifications answer 500 (Event Grid then redelivers).</summary>
    public void FailNext(int count) => Interlocked.Exchange(ref failuresLeft, count);

    /// <summary>Waits for the next request that satisfies <paramref name="match"/> (others are skipped).</summary>
    public async Task<ReceivedRequest> NextAsync(Func<ReceivedRequest, bool> match)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        while (true)
        {
            var request = await received.Reader.ReadAsync(timeout.Token);
            if (match(request))
            {
                return request;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private async Task<IResult> HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var kind = context.Request.Headers["aeg-event-type"].ToString();
        var request = new ReceivedRequest(kind, context.Request.ContentType ?? string.Empty,
            context.Request.QueryString.Value ?? string.Empty, body);
        received.Writer.TryWrite(request);
        switch (kind)
        {
            case "SubscriptionValidation":
                var node = JsonNode.Parse(body)!;
                var data = (node is JsonArray array ? array[0]! : node)["data"]!;
                return Results.Ok(new { validationResponse = AcceptValidation ? (string?)data["validationCode"] : "wrong" });
            case "Notification":
                return Interlocked.Decrement(ref failuresLeft) >= 0 ? Results.StatusCode(500) : Results.StatusCode(202);
            default:
                return Results.BadRequest();
        }
    }
}
