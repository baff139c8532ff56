using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using EdgeKv.Emulator;

namespace EdgeKv.Azure.Tests.KeyVault;

/// <summary>Raw HTTPS calls to the emulator's data plane, for wire-level assertions the SDK hides.</summary>
internal sealed class DataPlaneHttp(RunningEmulator emulator) : IDisposable
{
    private readonly HttpClient http = new(emulator.CreateTrustingHandler());

    public async Task<(int Status, JsonObject? Body, HttpResponseMessage Response)> SendAsync(HttpMethod method,
        string relative, string? body = null,
        string? principal = EmulatorPrincipals.EdgeKvService, string audience = "https://vault.azure.net")
    {
        using var request = new HttpRequestMessage(method, new Uri(emulator.Endpoint, relative));
        if (principal is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer",
                await emulator.Admin.IssueTokenAsync(principal, audience));
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length > 0 ? JsonNode.Parse(text) as JsonObject : null, response);
    }

    public void Dispose() => http.Dispose();
}
