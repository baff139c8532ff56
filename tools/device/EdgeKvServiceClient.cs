using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace EdgeKv.Device;

/// <summary>The device API of EdgeKv, over HTTPS (or plain HTTP to a loopback address only).</summary>
internal sealed class EdgeKvServiceClient : IDisposable
{
    private readonly HttpClient http;

    public EdgeKvServiceClient(Uri endpoint, string? deviceCredential = null)
    {
        if (endpoint.Scheme != Uri.UriSchemeHttps && !(endpoint.Scheme == Uri.UriSchemeHttp && endpoint.IsLoopback))
        {
            throw new DeviceCommandException("InsecureEndpoint",
                $"Refusing to talk to {endpoint} over plain http: use https (http is allowed on loopback only).");
        }

        http = new HttpClient { BaseAddress = endpoint, Timeout = TimeSpan.FromSeconds(100) };
        if (deviceCredential is not null) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("EdgeKvDevice", deviceCredential);
    }

    public Task<JsonElement> PostAsync(string path, object body, CancellationToken ct) => SendAsync(HttpMethod.Post,
        path, body, ct);

    public Task<JsonElement> PutAsync(string path, object body, CancellationToken ct) => SendAsync(HttpMethod.Put, path,
        body, ct);

    public Task<JsonElement> GetAsync(string path, CancellationToken ct) => SendAsync(HttpMethod.Get, path, null, ct);

    public void Dispose() => http.Dispose();

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, object? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method,
            path.TrimStart('/')) { Content = body is null ? null : JsonContent.Create(body) };
        for (int attempt = 1; ; attempt++)
        {
            using HttpRequestMessage send = Clone(request);
            using HttpResponseMessage response = await http.SendAsync(send, ct);
            JsonElement json = response.Content.Headers.ContentLength == 0 ? default : await response.Content.ReadFromJsonAsync<JsonElement>(ct);
            if (response.IsSuccessStatusCode) return json;
            bool transient = (int)response.StatusCode is 429 or >= 500;
            if (!transient || attempt == 5)
            {
                string code = json.ValueKind == JsonValueKind.Object && json.TryGetProperty("error",
                    out var e) ? e.GetProperty("code").GetString() ?? "Error" : $"Http{(int)response.StatusCode}";
                string message = json.ValueKind == JsonValueKind.Object && json.TryGetProperty("error",
                    out var m) ? m.GetProperty("message").GetString() ?? string.Empty : string.Empty;
                throw new DeviceCommandException(code, $"EdgeKv answered {(int)response.StatusCode} {code}: {message}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250 * attempt), ct);
        }
    }

    private static HttpRequestMessage Clone(HttpRequestMessage request) =>
        new(request.Method, request.RequestUri) { Content = request.Content is null ? null : new ByteArrayContentCopy(request.Content) };

    private sealed class ByteArrayContentCopy : ByteArrayContent
    {
        public ByteArrayContentCopy(HttpContent source)
            : base(source.ReadAsByteArrayAsync().GetAwaiter().GetResult())
        {
            Headers.ContentType = source.Headers.ContentType;
        }
    }
}

/// <summary>A command failed for a reason the operator can act on; the code is EdgeKv's (or the agent's own).</summary>
internal sealed class DeviceCommandException(string code, string message) : Exception(message)
{
    public string Code => code;
}
