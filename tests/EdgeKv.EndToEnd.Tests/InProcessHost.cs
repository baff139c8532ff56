using EdgeKv.Local;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeKv.Azure;
using EdgeKv.Emulator;
using EdgeKv.Functions.Hosting;
using EdgeKv.Local.Emulator;
using EdgeKv.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EdgeKv.EndToEnd.Tests;

/// <summary>
/// The EdgeKv host in local mode, in-process: its own emulator, its data in a temp folder, every log line captured.
/// </summary>
internal sealed class InProcessHost : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly TempDirectory data;

    private InProcessHost(WebApplication app, TempDirectory data, LogCapture logs)
    {
        this.app = app;
        this.data = data;
        Logs = logs;
        Api = new EdgeKvApi(new Uri(app.Urls.First()));
        Emulator = app.Services.GetRequiredService<EmulatorConnection>().Emulator!;
        Factory = Clients.For(Emulator);
        Contributor = Clients.For(Emulator, EmulatorPrincipals.Contributor);
    }

    public EdgeKvApi Api { get; }

    public RunningEmulator Emulator { get; }

    /// <summary>
    /// Typed clients acting as EdgeKv's principal (the roles infra/main.bicep grants it), to check what the emulator
    /// holds.
    /// </summary>
    public EdgeKvAzureClientFactory Factory { get; }

    /// <summary>
    /// Typed clients acting as a subscription Contributor: out-of-band changes (purges, provider registrations)
    /// EdgeKv's roles do not allow.
    /// </summary>
    public EdgeKvAzureClientFactory Contributor { get; }

    public LogCapture Logs { get; }

    public string DataPath => data.Path;

    public IServiceProvider Services => app.Services;

    /// <summary>
    /// A token from the emulator's token service for one of its test principals (default audience: EdgeKv's).
    /// </summary>
    public Task<string> IssueTokenAsync(string principal, string audience = "api://edgekv", TimeSpan? lifetime = null,
        IReadOnlyList<Guid>? groups = null,
        Guid? objectId = null) =>
        Emulator.Admin.IssueTokenAsync(principal, audience, lifetime, groups, objectId);

    public static async Task<InProcessHost> StartAsync(params string[] extraArgs)
    {
        var data = new TempDirectory("e2e-host");
        var logs = new LogCapture();
        string[] args =
        [
            "--urls", "http://127.0.0.1:0", "--EdgeKv:DataPath", data.Path,
            "--EdgeKv:Azure:EmulatorPort", "0", "--EdgeKv:Azure:EmulatorIdentityPort", "0",
            "--EdgeKv:Azure:EmulatorLongRunningOperation", "00:00:02", "--EdgeKv:Azure:EmulatorRetryAfter", "00:00:00",
            "--EdgeKv:Activation:StoragePollInterval", "00:00:00.500",
            "--Logging:LogLevel:Default", "Debug", "--Logging:LogLevel:Microsoft.AspNetCore", "Information",
            .. extraArgs,
        ];
        WebApplication app = EdgeKvApplication.Build(args, builder => builder.Logging.AddProvider(logs));
        await app.StartAsync();
        var host = new InProcessHost(app, data, logs);
        // Every API call is authenticated: the API client acts as the security team (service-wide app role).
        host.Api.UseToken(await host.IssueTokenAsync("security-team"));
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        Contributor.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
        data.Dispose();
    }
}

/// <summary>Typed clients over an emulator as EdgeKv's own principal.</summary>
internal static class Clients
{
    public static EdgeKvAzureClientFactory For(RunningEmulator emulator,
        string principal = EmulatorPrincipals.EdgeKvService)
    {
        var service = emulator.GetPrincipal(principal);
        return new EdgeKvAzureClientFactory(new EdgeKvAzureOptions
        {
            Mode = AzureMode.Emulator,
            SubscriptionId = emulator.SubscriptionId,
            TenantId = emulator.TenantId,
            EmulatorEndpoint = emulator.Endpoint,
            EmulatorCertificateThumbprint = emulator.CertificateThumbprint,
            ClientId = service.ClientId.ToString(),
            ClientSecret = service.ClientSecret,
            MaxRetries = 3,
        });
    }
}

/// <summary>EdgeKv's HTTP API as a client of Durable Functions uses it.</summary>
internal sealed class EdgeKvApi(Uri baseAddress) : IDisposable
{
    public HttpClient Http { get; } = new() { BaseAddress = baseAddress };

    public Uri BaseAddress => baseAddress;

    /// <summary>
    /// Every API call is authenticated: present this bearer token (from the emulator's token service) from now on.
    /// </summary>
    public EdgeKvApi UseToken(string token)
    {
        Http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer",
            token);
        return this;
    }

    public async Task<JsonElement> CreateResourceAsync(string name, object? body = null)
    {
        using HttpResponseMessage response = await Http.PutAsJsonAsync($"/api/resources/{name}", body ?? new { });
        Assert.IsTrue(response.IsSuccessStatusCode,
            $"PUT resource: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>The one-time fetch tokens the starters answered, by resource.</summary>
    public Dictionary<string, string> FetchTokens { get; } = [];

    public async Task<HttpResponseMessage> StartActivationAsync(string name, string? vaultName = null)
    {
        HttpResponseMessage response = await Http.PostAsJsonAsync($"/api/resources/{name}/activationKey",
            vaultName is null ? new { } : (object)new { vaultName });
        if (response.Headers.TryGetValues("x-edgekv-activation-key-token",
            out var tokens)) FetchTokens[name] = tokens.Single();
        return response;
    }

    /// <summary>Starts activation and polls the status URI until it answers 200; returns the final status.</summary>
    public async Task<JsonElement> ActivateAsync(string name, string? vaultName = null, TimeSpan? timeout = null)
    {
        using HttpResponseMessage started = await StartActivationAsync(name, vaultName);
        Assert.AreEqual(System.Net.HttpStatusCode.Accepted, started.StatusCode,
            await started.Content.ReadAsStringAsync());
        JsonElement payload = await started.Content.ReadFromJsonAsync<JsonElement>();
        return await PollAsync(payload.GetProperty("statusQueryGetUri").GetString()!,
            timeout ?? TimeSpan.FromMinutes(5));
    }

    public async Task<JsonElement> PollAsync(string statusUri, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            using HttpResponseMessage response = await Http.GetAsync(statusUri + "?showHistory=true&showHistoryOutput=true&showInput=true", cts.Token);
            if (response.StatusCode == System.Net.HttpStatusCode.OK) return await response.Content.ReadFromJsonAsync<JsonElement>(cts.Token);
            await Task.Delay(200, cts.Token);
        }
    }

    public async Task<string> FetchKeyAsync(string name)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/resources/{name}/activationKey");
        request.Headers.Add("x-edgekv-activation-key-token", FetchTokens[name]);
        using HttpResponseMessage response = await Http.SendAsync(request);
        Assert.AreEqual(System.Net.HttpStatusCode.OK, response.StatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("activationKey").GetString()!;
    }

    public void Dispose() => Http.Dispose();
}
