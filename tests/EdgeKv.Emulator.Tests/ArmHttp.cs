using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using EdgeKv.Emulator;

namespace EdgeKv.Emulator.Tests;

/// <summary>Raw HTTPS calls to the emulator, to check wire shapes the SDK hides.</summary>
internal sealed class ArmHttp : IDisposable
{
    public const string ManagementScope = "https://management.azure.com/.default";
    private readonly HttpClient http;
    private readonly RunningEmulator emulator;

    public ArmHttp(RunningEmulator emulator)
    {
        this.emulator = emulator;
        http = new HttpClient(emulator.CreateTrustingHandler()) { BaseAddress = emulator.Endpoint };
    }

    public string SubscriptionPath => $"/subscriptions/{emulator.SubscriptionId}";

    public async Task<HttpResponseMessage> RequestTokenAsync(string clientId, string secret, string scope,
        string? tenant = null)
    {
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = secret,
            ["scope"] = scope,
        });
        return await http.PostAsync($"/{tenant ?? emulator.TenantId.ToString()}/oauth2/v2.0/token", form);
    }

    public async Task<string> GetTokenAsync(string principal = EmulatorPrincipals.EdgeKvService,
        string scope = ManagementScope)
    {
        var p = emulator.GetPrincipal(principal);
        using var response = await RequestTokenAsync(p.ClientId.ToString(), p.ClientSecret, scope);
        response.EnsureSuccessStatusCode();
        return (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["access_token"]!;
    }

    public async Task<ArmReply> SendAsync(HttpMethod method, string pathAndQuery, string? token, string? body = null,
        string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, pathAndQuery);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, contentType);
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? json = null;
        try
        {
            json = text.Length == 0 ? null : JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
        }

        return new ArmReply((int)response.StatusCode, json, text,
            response.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value),
                StringComparer.OrdinalIgnoreCase));
    }

    public Task<ArmReply> GetAsync(string path, string? token) => SendAsync(HttpMethod.Get, path, token);

    public Task<ArmReply> PutAsync(string path, string? token, string body) => SendAsync(HttpMethod.Put, path, token,
        body);

    /// <summary>
    /// Creates a vault (api-version 2023-07-01) in an existing group, its one access policy granting EdgeKv's service
    /// principal <paramref name="permissions"/> (a JSON object such as <c>{"secrets":["all"]}</c>); returns its id.
    /// </summary>
    public async Task<string> CreateVaultForServiceAsync(string token, string resourceGroup, string name,
        string permissions, string sku = "standard")
    {
        var id = $"{SubscriptionPath}/resourceGroups/{resourceGroup}/providers/Microsoft.KeyVault/vaults/{name}";
        var service = emulator.GetPrincipal(EmulatorPrincipals.EdgeKvService).ObjectId;
        var vault = await PutAsync($"{id}?api-version=2023-07-01", token,
            $$$"""{"location":"westus2","properties":{"tenantId":"{{{emulator.TenantId}}}","sku":{"family":"A","name":"{{{sku}}}"},"accessPolicies":[{"tenantId":"{{{emulator.TenantId}}}","objectId":"{{{service}}}","permissions":{{{permissions}}}}]}}""");
        Assert.AreEqual(201, vault.Status, vault.Text);
        return id;
    }

    public void Dispose() => http.Dispose();
}

internal sealed record ArmReply(int Status, JsonNode? Json, string Text, IReadOnlyDictionary<string, string> Headers)
{
    public string? ErrorCode => (string?)Json?["error"]?["code"];

    public string? ErrorMessage => (string?)Json?["error"]?["message"];
}
