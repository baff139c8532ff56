using System.Globalization;
using System.Text.Json.Nodes;
using global::Azure.Core;
using global::Azure.Identity;

namespace EdgeKv.Azure;

/// <summary>
/// A managed identity through the App Service protocol with an explicit endpoint and header, instead of the
/// process-wide <c>IDENTITY_ENDPOINT</c>/<c>IDENTITY_HEADER</c> variables that <see cref="ManagedIdentityCredential"/>
/// reads. One process (EdgeKv in local mode, a test) can act as several identities of the emulator this way.
/// </summary>
public sealed class AppServiceIdentityCredential : TokenCredential, IDisposable
{
    private readonly Uri endpoint;
    private readonly string header;
    private readonly HttpClient http = new();

    public AppServiceIdentityCredential(Uri endpoint, string header)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentException.ThrowIfNullOrEmpty(header);
        this.endpoint = endpoint;
        this.header = header;
    }

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        GetTokenAsync(requestContext, cancellationToken).AsTask().GetAwaiter().GetResult();

    public override async ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext,
        CancellationToken cancellationToken)
    {
        var scope = requestContext.Scopes.FirstOrDefault() ?? throw new ArgumentException("A scope is required.",
            nameof(requestContext));
        var resource = scope.EndsWith("/.default", StringComparison.Ordinal) ? scope[..^"/.default".Length] : scope;
        using var request = new HttpRequestMessage(HttpMethod.Get,
            $"{endpoint}?api-version=2019-08-01&resource={Uri.EscapeDataString(resource)}");
        request.Headers.Add("X-IDENTITY-HEADER", header);
        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new AuthenticationFailedException($"The managed identity endpoint answered {(int)response.StatusCode}: {text}");
        }

        var json = JsonNode.Parse(text)!;
        return new AccessToken((string)json["access_token"]!,
            DateTimeOffset.FromUnixTimeSeconds(long.Parse((string)json["expires_on"]!, CultureInfo.InvariantCulture)));
    }

    public void Dispose() => http.Dispose();
}
