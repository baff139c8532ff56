using System.Globalization;
using System.Text.Json.Nodes;
using global::Azure;
using global::Azure.Core;
using global::Azure.ResourceManager;

namespace EdgeKv.Azure;

/// <summary>
/// Raw Resource Manager requests over the SDK pipeline (authentication, retries, transport) for operations the
/// core package has no call for: POST actions, list by type, extension resources without a typed client.
/// </summary>
internal sealed class ArmRestClient : ArmResource
{
    public ArmRestClient(ArmClient client, string subscriptionId)
        : base(client, new ResourceIdentifier($"/subscriptions/{subscriptionId}"))
    {
    }

    public async Task<JsonObject?> SendAsync(RequestMethod method, string path, string apiVersion, JsonNode? body,
        CancellationToken cancellationToken)
    {
        using var message = CreateMessage(method, new Uri(Endpoint, path.TrimStart('/')), apiVersion, body);
        await Pipeline.SendAsync(message, cancellationToken);
        return await ReadAsync(message, cancellationToken);
    }

    /// <summary>
    /// Sends a request and, on 202 with <c>Location</c>, polls that location until it stops answering 202.
    /// </summary>
    public async Task<JsonObject?> SendAndWaitAsync(RequestMethod method, string path, string apiVersion,
        JsonNode? body, CancellationToken cancellationToken)
    {
        using var message = CreateMessage(method, new Uri(Endpoint, path.TrimStart('/')), apiVersion, body);
        await Pipeline.SendAsync(message, cancellationToken);
        var response = message.Response;
        if (response.Status >= 400)
        {
            throw new RequestFailedException(response);
        }

        while (response.Status == 202 && response.Headers.TryGetValue("Location", out var location))
        {
            var delay = response.Headers.TryGetValue("Retry-After", out var retryAfter) && int.TryParse(retryAfter,
                NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
                ? TimeSpan.FromSeconds(seconds)
                : TimeSpan.FromSeconds(1);
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, cancellationToken);
            }

            using var poll = CreateMessage(RequestMethod.Get, new Uri(location), apiVersion: null, body: null);
            await Pipeline.SendAsync(poll, cancellationToken);
            response = poll.Response;
            if (response.Status >= 400)
            {
                throw new RequestFailedException(response);
            }

            if (response.Status != 202)
            {
                return response.Content.ToMemory().Length == 0 ? null : JsonNode.Parse(response.Content.ToString()) as JsonObject;
            }
        }

        return response.Content.ToMemory().Length == 0 ? null : JsonNode.Parse(response.Content.ToString()) as JsonObject;
    }

    /// <summary>Reads every page of a <c>{value, nextLink}</c> list.</summary>
    public async Task<IReadOnlyList<JsonObject>> ListAsync(string path, string apiVersion,
        CancellationToken cancellationToken)
    {
        var items = new List<JsonObject>();
        Uri? next = new(Endpoint, path.TrimStart('/'));
        string? version = apiVersion;
        while (next is not null)
        {
            using var message = CreateMessage(RequestMethod.Get, next, version, null);
            await Pipeline.SendAsync(message, cancellationToken);
            var page = await ReadAsync(message, cancellationToken);
            items.AddRange(page?["value"]?.AsArray().OfType<JsonObject>() ?? []);
            next = (string?)page?["nextLink"] is { Length: > 0 } link ? new Uri(link) : null;
            version = null;
        }

        return items;
    }

    private HttpMessage CreateMessage(RequestMethod method, Uri uri, string? apiVersion, JsonNode? body)
    {
        var message = Pipeline.CreateMessage();
        var request = message.Request;
        request.Method = method;
        request.Uri.Reset(uri);
        if (apiVersion is not null)
        {
            request.Uri.AppendQuery("api-version", apiVersion, true);
        }

        request.Headers.Add("Accept", "application/json");
        if (body is not null)
        {
            request.Headers.Add("Content-Type", "application/json");
            request.Content = RequestContent.Create(BinaryData.FromString(body.ToJsonString()));
        }

        return message;
    }

    private static Task<JsonObject?> ReadAsync(HttpMessage message, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var response = message.Response;
        if (response.Status >= 400)
        {
            throw new RequestFailedException(response);
        }

        return Task.FromResult(response.Content.ToMemory().Length == 0 ? null : JsonNode.Parse(response.Content.ToString()) as JsonObject);
    }
}
