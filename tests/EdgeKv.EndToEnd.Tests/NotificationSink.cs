using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace EdgeKv.EndToEnd.Tests;

/// <summary>A loopback webhook that collects the JSON notifications EdgeKv posts.</summary>
internal sealed class NotificationSink : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly ConcurrentQueue<JsonElement> received = new();
    private readonly SemaphoreSlim arrived = new(0);

    public NotificationSink()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Url = new Uri($"http://127.0.0.1:{port}/notify/");
        listener.Prefixes.Add(Url.ToString());
        listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public Uri Url { get; }

    public IReadOnlyList<JsonElement> Received => [.. received];

    /// <summary>Waits until a notification matching <paramref name="match"/> has arrived.</summary>
    public async Task<JsonElement> WaitForAsync(Func<JsonElement, bool> match, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            foreach (JsonElement n in received) if (match(n)) return n;
            try
            {
                await arrived.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"No matching notification within {timeout}; received: {string.Join(" | ", received.Select(r => r.ToString()))}");
            }
        }
    }

    public void Dispose()
    {
        listener.Close();
        arrived.Dispose();
    }

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            using (var reader = new StreamReader(context.Request.InputStream))
            {
                received.Enqueue(JsonDocument.Parse(await reader.ReadToEndAsync()).RootElement.Clone());
            }

            context.Response.StatusCode = 204;
            context.Response.Close();
            arrived.Release();
        }
    }
}
