using System.Net.Http.Json;
using System.Text.Json;
using EdgeKv.Emulator.Hosting;

namespace EdgeKv.Functions.Tests;

/// <summary>
/// What README shows with curl: client credentials against the local emulator's token endpoint, found through its
/// connection.json.
/// </summary>
internal static class LocalToken
{
    public static async Task<string> ClientCredentialsAsync(string dataPath, string principal,
        string audience = "api://edgekv")
    {
        using JsonDocument connection = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(dataPath,
            "emulator", "connection.json")));
        JsonElement c = connection.RootElement;
        using var http = new HttpClient(CertificateTrust.CreateHandler(c.GetProperty("certificateThumbprint").GetString()!));
        var emulator = new Uri(c.GetProperty("endpoint").GetString()!);
        string tenant = c.GetProperty("tenantId").GetString()!;
        string id = principal switch
        {
            "security-team" => "4",
            "operator" => "5",
            "auditor" => "6",
            _ => throw new ArgumentOutOfRangeException(nameof(principal)),
        };
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = $"5e1d0c1a-0000-4000-8000-00000000000{id}",
            ["client_secret"] = $"{principal}-secret",
            ["scope"] = $"{audience}/.default",
        });
        using HttpResponseMessage response = await http.PostAsync(new Uri(emulator, $"{tenant}/oauth2/v2.0/token"),
            form);
        Assert.IsTrue(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
    }
}
