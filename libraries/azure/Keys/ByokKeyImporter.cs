using System.Text.Json.Nodes;
using global::Azure;
using global::Azure.Core;
using global::Azure.Core.Pipeline;

namespace EdgeKv.Azure.Keys;

/// <summary>
/// The one key request the SDK cannot send: a Bring Your Own Key import. Azure.Security.KeyVault.Keys 4.8.0's
/// <c>JsonWebKey</c> has no <c>key_hsm</c> (the transfer blob) and no way to add a property, so the import is a
/// <c>PUT /keys/{name}</c> over an Azure.Core pipeline with the bearer-token policy. Failures are
/// <see cref="RequestFailedException"/> with Key Vault's status and error code; the material is never in one.
/// </summary>
internal sealed class ByokKeyImporter(Uri vaultUri, TokenCredential credential, KeysClientOptions options)
{
    private readonly HttpPipeline pipeline = HttpPipelineBuilder.Build(options,
        new BearerTokenAuthenticationPolicy(credential, options.Scope));

    public async Task<JsonObject> ImportAsync(string name, JsonObject body, CancellationToken cancellationToken)
    {
        using var message = pipeline.CreateMessage();
        var request = message.Request;
        request.Method = RequestMethod.Put;
        request.Uri.Reset(new Uri(vaultUri, $"keys/{Uri.EscapeDataString(name)}"));
        request.Uri.AppendQuery("api-version", options.ApiVersion, true);
        request.Headers.Add("Accept", "application/json");
        request.Headers.Add("Content-Type", "application/json");
        request.Content = RequestContent.Create(BinaryData.FromString(body.ToJsonString()));
        await pipeline.SendAsync(message, cancellationToken);
        if (message.Response.Status >= 400)
        {
            throw new RequestFailedException(message.Response);
        }

        return JsonNode.Parse(message.Response.Content.ToString())!.AsObject();
    }
}
