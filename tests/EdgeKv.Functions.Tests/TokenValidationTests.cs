using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using EdgeKv.Emulator;
using EdgeKv.Emulator.Admin;
using EdgeKv.Local.Emulator;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeKv.Functions.Tests;

/// <summary>
/// Entra's two access-token versions, as the emulator's token service issues them: v1 (its v1 issuer, audience the App
/// ID URI) and v2 (audience the App ID URI or the client id) are accepted; another tenant's issuer, another audience,
/// an expired token and a broken signature are answered 401 with a challenge.
/// </summary>
[TestClass]
public sealed class TokenValidationTests
{
    private const string ClientId = "0e5f6a7b-1c2d-4e3f-8a9b-0c1d2e3f4a5b";

    private static HostFixture host = null!;
    private static EmulatorAdminClient admin = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext context)
    {
        host = await HostFixture.StartAsync(extraArgs: ["--EdgeKv:Authentication:ClientId", ClientId]);
        admin = host.Services.GetRequiredService<EmulatorConnection>().Emulator!.Admin;
    }

    [ClassCleanup]
    public static async Task StopAsync() => await host.DisposeAsync();

    [TestMethod]
    [DataRow("2.0", "api://edgekv", DisplayName = "v2, App ID URI")]
    [DataRow("2.0", ClientId, DisplayName = "v2, client id")]
    [DataRow("1.0", "api://edgekv", DisplayName = "v1, App ID URI")]
    [DataRow("1.0", ClientId, DisplayName = "v1, client id")]
    public async Task EntraToken_OfEitherVersion_IsAccepted(string version, string audience)
    {
        string token = await admin.IssueTokenAsync(EmulatorPrincipals.SecurityTeam, audience, version: version);
        using HttpResponseMessage response = await GetResourcesAsync(token);
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [TestMethod]
    public async Task AnotherTenantsToken_SignedWithTheSameKeys_IsRefusedForItsIssuer()
    {
        foreach (string version in new[] { "1.0", "2.0" })
        {
            string token = await admin.IssueTokenAsync(EmulatorPrincipals.SecurityTeam, "api://edgekv",
                version: version, tenantId: Guid.NewGuid());
            await AssertRefusedAsync(token, "InvalidAuthenticationTokenIssuer");
        }
    }

    [TestMethod]
    public async Task TokenForAnotherAudience_IsRefused() =>
        await AssertRefusedAsync(await admin.IssueTokenAsync(EmulatorPrincipals.SecurityTeam,
            "https://management.azure.com/"), "InvalidAuthenticationTokenAudience");

    [TestMethod]
    public async Task ExpiredToken_IsRefused()
    {
        foreach (string version in new[] { "1.0", "2.0" })
        {
            string token = await admin.IssueTokenAsync(EmulatorPrincipals.SecurityTeam, "api://edgekv",
                TimeSpan.FromMinutes(-10), version: version);
            await AssertRefusedAsync(token, "ExpiredAuthenticationToken");
        }
    }

    [TestMethod]
    public async Task TokenWithABrokenSignature_IsRefused()
    {
        foreach (string version in new[] { "1.0", "2.0" })
        {
            string token = await admin.IssueTokenAsync(EmulatorPrincipals.SecurityTeam, "api://edgekv",
                version: version);
            int dot = token.LastIndexOf('.');
            char[] signature = token[(dot + 1)..].ToCharArray();
            signature[10] = signature[10] == 'A' ? 'B' : 'A';
            await AssertRefusedAsync(token[..(dot + 1)] + new string(signature), "InvalidAuthenticationToken");
        }
    }

    [TestMethod]
    public async Task MalformedToken_IsRefused() => await AssertRefusedAsync("not-a-jwt", "InvalidAuthenticationToken");

    private static async Task AssertRefusedAsync(string token, string code)
    {
        using HttpResponseMessage response = await GetResourcesAsync(token);
        string body = await response.Content.ReadAsStringAsync();
        Assert.AreEqual(HttpStatusCode.Unauthorized, response.StatusCode, body);
        Assert.AreEqual(code, JsonDocument.Parse(body).RootElement.GetProperty("error").GetProperty("code").GetString(),
            body);
        StringAssert.Contains(response.Headers.WwwAuthenticate.ToString(), "error=\"invalid_token\"");
    }

    private static async Task<HttpResponseMessage> GetResourcesAsync(string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/resources");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await host.Http.SendAsync(request);
    }
}
