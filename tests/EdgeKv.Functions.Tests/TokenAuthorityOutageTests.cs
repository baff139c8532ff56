using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using EdgeKv.Emulator;
using EdgeKv.Emulator.Admin;
using EdgeKv.Local.Emulator;
using EdgeKv.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EdgeKv.Functions.Tests;

/// <summary>
/// The host started against a token authority it cannot use: its OpenID metadata unreachable (nothing listening, a name
/// that does not resolve, a server that never answers) or served with a certificate the host does not trust. A bearer
/// token, even one that authority really issued, is answered 503 <c>TokenAuthorityUnavailable</c> with
/// <c>Retry-After</c> and no challenge, never a 500; the outage is logged once; a call without a token is still a 401.
/// </summary>
[TestClass]
public sealed class TokenAuthorityOutageTests
{
    [TestMethod]
    public async Task NothingListening_AnswersServiceUnavailable()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
        }

        await AssertUnavailableAsync(new Uri($"https://127.0.0.1:{port}/{Guid.NewGuid()}/v2.0"));
    }

    [TestMethod]
    public async Task NameThatDoesNotResolve_AnswersServiceUnavailable() =>
        await AssertUnavailableAsync(new Uri($"https://edgekv-token-authority.invalid/{Guid.NewGuid()}/v2.0"));

    [TestMethod]
    public async Task ServerThatNeverAnswers_AnswersServiceUnavailable_AfterTheAuthorityTimeout()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start(); // accepts connections (the backlog) and never speaks TLS
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        await AssertUnavailableAsync(new Uri($"https://127.0.0.1:{port}/{Guid.NewGuid()}/v2.0"),
            "--EdgeKv:Authentication:AuthorityTimeout", "00:00:02");
    }

    [TestMethod]
    public async Task UntrustedCertificate_AnswersServiceUnavailable_EvenForATokenThatAuthorityIssued()
    {
        // A second emulator plays the authority; its self-signed certificate is trusted by nothing on this machine.
        using var data = new TempDirectory("authority");
        await using RunningEmulator authority = await AzureEmulator.StartAsync(new EmulatorOptions { DataFolder = data.Path });
        string token = await authority.Admin.IssueTokenAsync(EmulatorPrincipals.SecurityTeam, "api://edgekv");
        await AssertUnavailableWithTokenAsync(new Uri($"{authority.Endpoint.AbsoluteUri}{authority.TenantId}/v2.0"),
            token);
    }

    [TestMethod]
    public async Task AuthorityThatFailsThenRecovers_AnswersServiceUnavailable_ThenValidatesAgain_LoggingEachChangeOnce()
    {
        // Local mode: the host's own emulator is the authority; its metadata answers 503 until the fault is cleared.
        var logs = new CapturedLogs();
        await using HostFixture host = await HostFixture.StartAsync(
            services: s => s.AddSingleton<ILoggerProvider>(logs),
            extraArgs: ["--Logging:LogLevel:EdgeKv.Functions.Security.EntraTokenValidator", "Information"]);
        EmulatorAdminClient admin = host.Services.GetRequiredService<EmulatorConnection>().Emulator!.Admin;
        string token = await host.IssueTokenAsync("security-team");
        await admin.AddFaultAsync(new FaultRule("/\\.well-known/openid-configuration$", FaultKind.Unavailable,
            RetryAfterSeconds: 1));
        try
        {
            using HttpResponseMessage unavailable = await GetResourcesAsync(host, token);
            string body = await unavailable.Content.ReadAsStringAsync();
            Assert.AreEqual(HttpStatusCode.ServiceUnavailable, unavailable.StatusCode, body);
            StringAssert.Contains(body, "TokenAuthorityUnavailable");
            Assert.IsNotNull(unavailable.Headers.RetryAfter);
        }
        finally
        {
            await admin.ClearFaultsAsync();
        }

        // IdentityModel tries again after a short, growing pause: a generous bound, polled.
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        HttpStatusCode status;
        do
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500), deadline.Token);
            using HttpResponseMessage response = await GetResourcesAsync(host, token);
            status = response.StatusCode;
            Assert.IsTrue(status is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable,
                $"{status}: {await response.Content.ReadAsStringAsync()}");
        }
        while (status != HttpStatusCode.OK);

        Assert.AreEqual(1, logs.Lines.Count(l => l.EventId == 7003), "the outage's start, once");
        Assert.AreEqual(1, logs.Lines.Count(l => l.EventId == 7004), "its end, once");
    }

    private static Task AssertUnavailableAsync(Uri authority,
        params string[] extraArgs) => AssertUnavailableWithTokenAsync(authority, null, extraArgs);

    private static async Task AssertUnavailableWithTokenAsync(Uri authority, string? token, params string[] extraArgs)
    {
        var logs = new CapturedLogs();
        await using HostFixture host = await HostFixture.StartAsync(
            services: s => s.AddSingleton<ILoggerProvider>(logs),
            extraArgs: ["--EdgeKv:Authentication:Authority", authority.AbsoluteUri,
                "--EdgeKv:Authentication:AuthorityRetryAfter", "00:00:07", .. extraArgs]);
        token ??= await host.IssueTokenAsync("security-team");

        for (int call = 0; call < 3; call++)
        {
            using HttpResponseMessage response = await GetResourcesAsync(host, token);
            string body = await response.Content.ReadAsStringAsync();
            Assert.AreEqual(HttpStatusCode.ServiceUnavailable, response.StatusCode, body);
            JsonElement error = JsonDocument.Parse(body).RootElement.GetProperty("error");
            Assert.AreEqual("TokenAuthorityUnavailable", error.GetProperty("code").GetString(), body);
            Assert.AreEqual(TimeSpan.FromSeconds(7), response.Headers.RetryAfter?.Delta, "Retry-After");
            Assert.AreEqual(0, response.Headers.WwwAuthenticate.Count, "the token is not at fault: no challenge");
            Assert.IsFalse(body.Contains(token, StringComparison.Ordinal));
        }

        using (HttpResponseMessage anonymous = await GetResourcesAsync(host, null))
        {
            Assert.AreEqual(HttpStatusCode.Unauthorized, anonymous.StatusCode,
                "no token: still the 401 and its challenge");
            Assert.IsTrue(anonymous.Headers.WwwAuthenticate.Count > 0);
        }

        var outages = logs.Lines.Where(l => l.EventId == 7003).ToList();
        Assert.AreEqual(1, outages.Count,
            "the outage is logged once: " + string.Join(" | ", outages.Select(l => l.Text)));
        StringAssert.Contains(outages[0].Text, authority.Authority);
        Console.WriteLine(outages[0].Text);
        Assert.IsFalse(logs.Lines.Any(l => l.Text.Contains(token, StringComparison.Ordinal)), "no token in the logs");
        Assert.IsFalse(logs.Lines.Any(l => l.EventId == 2001), "nothing escaped as an unhandled error");
    }

    private static async Task<HttpResponseMessage> GetResourcesAsync(HostFixture host, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/resources");
        request.Headers.Authorization = token is null ? null : new AuthenticationHeaderValue("Bearer", token);
        // The fixture's client carries a default token: this request says its own.
        using var client = new HttpClient { BaseAddress = host.Http.BaseAddress };
        return await client.SendAsync(request);
    }
}
