using System.Text.Json.Nodes;
using global::Azure;
using global::Azure.Core;
using global::Azure.Core.Pipeline;

namespace EdgeKv.Azure;

/// <summary>
/// JSON requests to a data-plane endpoint (Key Vault keys) over an Azure.Core pipeline with the bearer-token
/// policy for one scope. Failures surface as <see cref="RequestFailedException"/> with the service's status and error code.
/// </summary>
internal sealed class DataPlaneRestClient(HttpPipeline pipeline, Uri endpoint, string? apiVersion)
{
    public Uri Endpoint { get; } = endpoint;

    public static HttpPipeline BuildPipeline(ClientOptions options, TokenCredential credential, string scope) =>
        HttpPipelineBuilder.Build(options, new BearerTokenAuthenticationPolicy(credential, scope));

    public async Task<JsonObject?> SendAsync(RequestMethod method, string relative, JsonNode? body, CancellationToken cancellationToken)
    {
        using var message = CreateMessage(method, new Uri(Endpoint, relative), body, withApiVersion: true);
        await pipeline.SendAsync(message, cancellationToken);
        return Read(message.Response);
    }

    /// <summary>Reads every page of a <c>{value, nextLink}</c> list, following absolute next links.</summary>
    public async Task<IReadOnlyList<JsonObject>> ListAsync(string relative, CancellationToken cancellationToken)
    {
        var items = new List<JsonObject>();
        Uri? next = new(Endpoint, relative);
        var first = true;
        while (next is not null)
        {
            using var message = CreateMessage(RequestMethod.Get, next, null, withApiVersion: first);
            await pipeline.SendAsync(message, cancellationToken);
            var page = Read(message.Response);
            items.AddRange(page?["value"]?.AsArray().OfType<JsonObject>() ?? []);
            next = (string?)page?["nextLink"] is { Length: > 0 } link ? new Uri(link) : null;
            first = false;
        }

        return items;
    }

    private HttpMessage CreateMessage(RequestMethod method, Uri uri, JsonNode? body, bool withApiVersion)
    {
        var message = pipeline.CreateMessage();
        var request = message.Request;
        request.Method = method;
        request.Uri.Reset(uri);
        if (withApiVersion && apiVersion is not null)
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

    private static JsonObject? Read(Response response)
    {
        if (response.Status >= 400)
        {
            throw new RequestFailedException(response);
        }

        return response.Content.ToMemory().Length == 0 ? null : JsonNode.Parse(response.Content.ToString()) as JsonObject;
    }
}
