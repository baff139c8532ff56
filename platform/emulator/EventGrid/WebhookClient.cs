using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace EdgeKv.Emulator.EventGrid;

/// <summary>
/// Posts to webhook endpoints as Event Grid does: the validation handshake (<c>aeg-event-type:
/// SubscriptionValidation</c>, answered with 200 and <c>{"validationResponse": code}</c>) and notifications
/// (<c>aeg-event-type: Notification</c>). URLs are used exactly as given (a <c>code</c> query parameter passes
/// through). Only loopback hosts are reachable.
/// </summary>
internal sealed class WebhookClient : IDisposable
{
    public const string ValidationEventType = "Microsoft.EventGrid.SubscriptionValidationEvent";
    private readonly HttpClient http = new(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(30) };

    public static bool IsLoopback(Uri url) =>
        url.IsAbsoluteUri && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps) &&
        (url.IsLoopback || (IPAddress.TryParse(url.Host.Trim('[', ']'),
            out var address) && IPAddress.IsLoopback(address)));

    /// <summary>
    /// Runs the handshake; returns the receiver's status (0 when unreachable) and whether it echoed the code.
    /// </summary>
    public async Task<(int Status, bool Validated)> ValidateAsync(Uri url, string subscriptionName,
        EmulatorEvent validation, string topic, string schema, CancellationToken cancellationToken)
    {
        var (status, body) = await PostAsync(url, "SubscriptionValidation", subscriptionName, validation, topic, schema,
            1, cancellationToken);
        if (status != 200 || string.IsNullOrWhiteSpace(body))
        {
            return (status, false);
        }

        try
        {
            var code = (string?)validation.Data["validationCode"];
            return (status, JsonNode.Parse(body) is JsonObject answer && string.Equals((string?)answer["validationResponse"], code, StringComparison.Ordinal));
        }
        catch (System.Text.Json.JsonException)
        {
            return (status, false);
        }
    }

    public async Task<int> NotifyAsync(Uri url, string subscriptionName, EmulatorEvent e, string topic, string schema,
        int attempt, CancellationToken cancellationToken) =>
        (await PostAsync(url, "Notification", subscriptionName, e, topic, schema, attempt, cancellationToken)).Status;

    public void Dispose() => http.Dispose();

    private async Task<(int Status, string Body)> PostAsync(Uri url, string kind, string subscriptionName,
        EmulatorEvent e, string topic, string schema, int attempt,
        CancellationToken cancellationToken)
    {
        if (!IsLoopback(url))
        {
            return (0, string.Empty);
        }

        var (body, contentType) = EventSchemas.Serialize(e, topic, schema);
        using var request = new HttpRequestMessage(HttpMethod.Post,
            url) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        request.Headers.TryAddWithoutValidation("aeg-event-type", kind);
        request.Headers.TryAddWithoutValidation("aeg-subscription-name", subscriptionName.ToUpperInvariant());
        request.Headers.TryAddWithoutValidation("aeg-delivery-count",
            (attempt - 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation("aeg-data-version", e.DataVersion);
        request.Headers.TryAddWithoutValidation("aeg-metadata-version", "1");
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return (0, string.Empty);
        }
    }
}
