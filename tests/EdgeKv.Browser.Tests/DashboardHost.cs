using EdgeKv.Local;
using System.Net.Http.Headers;
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

namespace EdgeKv.Browser.Tests;

/// <summary>
/// The EdgeKv host in local mode, in-process, serving the built dashboard at / (its own emulator, data in a temp
/// folder, free ports). API helpers act as the security team; <see cref="TokenAsync"/> gives any test principal's
/// token.
/// </summary>
internal sealed class DashboardHost : IAsyncDisposable
{
    public const string EventGridKey = "browser-eventgrid-key-0123456789abcdef";
    public const string BitLocker = "123456-234567-345678-456789-567890-678901-789012-890123";
    public const string Bmc = "Bmc-Browser-Pass-77!";

    private readonly WebApplication app;
    private readonly TempDirectory data;

    private DashboardHost(WebApplication app, TempDirectory data, string token)
    {
        this.app = app;
        this.data = data;
        BaseAddress = new Uri(app.Urls.First());
        Emulator = app.Services.GetRequiredService<EmulatorConnection>().Emulator!;
        Http = new HttpClient { BaseAddress = BaseAddress };
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Factory = ClientsAs(EmulatorPrincipals.EdgeKvService);
        Contributor = ClientsAs(EmulatorPrincipals.Contributor);
    }

    public Uri BaseAddress { get; }

    public RunningEmulator Emulator { get; }

    /// <summary>
    /// Azure as EdgeKv's principal (the roles infra/main.bicep grants it, on its own resource group).
    /// </summary>
    public EdgeKvAzureClientFactory Factory { get; }

    /// <summary>
    /// Azure as a subscription Contributor: what an operator uses to make resources outside EdgeKv's group.
    /// </summary>
    public EdgeKvAzureClientFactory Contributor { get; }

    private EdgeKvAzureClientFactory ClientsAs(string principal)
    {
        var identity = Emulator.GetPrincipal(principal);
        return new EdgeKvAzureClientFactory(new EdgeKvAzureOptions
        {
            Mode = AzureMode.Emulator, SubscriptionId = Emulator.SubscriptionId, TenantId = Emulator.TenantId,
                EmulatorEndpoint = Emulator.Endpoint,
            EmulatorCertificateThumbprint = Emulator.CertificateThumbprint, ClientId = identity.ClientId.ToString(),
            ClientSecret = identity.ClientSecret, MaxRetries = 3,
        });
    }

    /// <summary>The API as the security team.</summary>
    public HttpClient Http { get; }

    public IServiceProvider Services => app.Services;

    /// <summary>Device credentials of the resources activated through <see cref="ActivateAsync"/>.</summary>
    public Dictionary<string, string> DeviceCredentials { get; } = [];

    public static async Task<DashboardHost> StartAsync(params string[] extraArgs)
    {
        var data = new TempDirectory("browser-host");
        string[] args =
        [
            "--urls", "http://127.0.0.1:0", "--EdgeKv:DataPath", data.Path,
            "--EdgeKv:Azure:EmulatorPort", "0", "--EdgeKv:Azure:EmulatorIdentityPort", "0",
            "--EdgeKv:Azure:EmulatorLongRunningOperation", "00:00:02",
            "--EdgeKv:Azure:EmulatorRetryAfter", "00:00:00", "--EdgeKv:Activation:StoragePollInterval", "00:00:00.500",
            "--EdgeKv:Webhooks:EventGridKey", EventGridKey, "--Logging:LogLevel:Default", "Warning",
            .. extraArgs,
        ];
        WebApplication app = EdgeKvApplication.Build(args, builder => builder.Logging.ClearProviders());
        await app.StartAsync();
        RunningEmulator emulator = app.Services.GetRequiredService<EmulatorConnection>().Emulator!;
        return new DashboardHost(app, data, await emulator.Admin.IssueTokenAsync("security-team", "api://edgekv"));
    }

    public Task<string> TokenAsync(string principal) => Emulator.Admin.IssueTokenAsync(principal, "api://edgekv");

    public async Task<HttpResponseMessage> SendAsAsync(string principal, HttpMethod method, string path)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(principal));
        using var client = new HttpClient { BaseAddress = BaseAddress };
        return await client.SendAsync(request);
    }

    public async Task<JsonElement> GetAsync(string path)
    {
        using HttpResponseMessage response = await Http.GetAsync(path);
        string body = await response.Content.ReadAsStringAsync();
        Assert.IsTrue(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public async Task CreateResourceAsync(string name)
    {
        using HttpResponseMessage put = await Http.PutAsJsonAsync($"/api/resources/{name}", new { });
        Assert.IsTrue(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// Creates and activates a resource through the API, activates its device and pushes the device secrets, as
    /// SecuredHost does.
    /// </summary>
    public async Task ActivateAsync(string name)
    {
        await CreateResourceAsync(name);
        using HttpResponseMessage started = await Http.PostAsJsonAsync($"/api/resources/{name}/activationKey", new { });
        Assert.AreEqual(System.Net.HttpStatusCode.Accepted, started.StatusCode,
            await started.Content.ReadAsStringAsync());
        string token = started.Headers.GetValues("x-edgekv-activation-key-token").Single();
        string status = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("statusQueryGetUri").GetString()!;
        JsonElement final = await PollAsync(status, TimeSpan.FromMinutes(5));
        Assert.AreEqual("Completed", final.GetProperty("runtimeStatus").GetString(), final.ToString());

        using var fetch = new HttpRequestMessage(HttpMethod.Get, $"/api/resources/{name}/activationKey");
        fetch.Headers.Add("x-edgekv-activation-key-token", token);
        using HttpResponseMessage keyResponse = await Http.SendAsync(fetch);
        string key = (await keyResponse.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("activationKey").GetString()!;
        using HttpResponseMessage activated = await Http.PostAsJsonAsync("/api/device/activate",
            new { activationKey = key });
        Assert.IsTrue(activated.IsSuccessStatusCode, await activated.Content.ReadAsStringAsync());
        string credential = (await activated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("deviceCredential").GetString()!;
        DeviceCredentials[name] = credential;
        using HttpClient device = DeviceClient(name);
        using HttpResponseMessage pushed = await device.PutAsJsonAsync($"/api/device/{name}/secrets",
            new { bitLockerRecoveryKey = BitLocker, bmcUserPassword = Bmc });
        Assert.IsTrue(pushed.IsSuccessStatusCode, await pushed.Content.ReadAsStringAsync());
    }

    public HttpClient DeviceClient(string name)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("EdgeKvDevice",
            DeviceCredentials[name]);
        return client;
    }

    /// <summary>
    /// The device agent's part of a sync: waits for EdgeKv's request and answers it with the secrets it holds.
    /// </summary>
    public async Task AnswerOneSyncAsync(string name, CancellationToken cancellationToken)
    {
        using HttpClient device = DeviceClient(name);
        while (true)
        {
            JsonElement request = await device.GetFromJsonAsync<JsonElement>($"/api/device/{name}/syncRequest?waitSeconds=20", cancellationToken);
            if (request.GetProperty("requestId").GetString() is not { } id) continue;
            using HttpResponseMessage answered = await device.PutAsJsonAsync($"/api/device/{name}/sync/{id}",
                new { bitLockerRecoveryKey = BitLocker, bmcUserPassword = Bmc }, cancellationToken);
            Assert.IsTrue(answered.IsSuccessStatusCode, await answered.Content.ReadAsStringAsync(cancellationToken));
            return;
        }
    }

    /// <summary>Sends a JSON request as the security team and asserts its status.</summary>
    public async Task<JsonElement> SendJsonAsync(string method, string path, object body,
        System.Net.HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = JsonContent.Create(body) };
        using HttpResponseMessage response = await Http.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        Assert.AreEqual(expected, response.StatusCode, $"{method} {path}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Sends a request that starts a flow (202), waits for it and asserts it completed.</summary>
    public async Task<JsonElement> RunFlowAsync(string method, string path, object body)
    {
        JsonElement accepted = await SendJsonAsync(method, path, body, System.Net.HttpStatusCode.Accepted);
        JsonElement final = await PollAsync(accepted.GetProperty("statusQueryGetUri").GetString()!,
            TimeSpan.FromMinutes(5));
        Assert.AreEqual("Completed", final.GetProperty("runtimeStatus").GetString(), final.ToString());
        return final;
    }

    /// <summary>
    /// Starts a sweep through its starter route (POST /api/health/sweep) and waits for it to complete.
    /// </summary>
    public async Task SweepAsync()
    {
        using HttpResponseMessage started = await Http.PostAsync("/api/health/sweep", null);
        Assert.AreEqual(System.Net.HttpStatusCode.Accepted, started.StatusCode,
            await started.Content.ReadAsStringAsync());
        JsonElement final = await PollAsync((await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("statusQueryGetUri").GetString()!, TimeSpan.FromMinutes(5));
        Assert.AreEqual("Completed", final.GetProperty("runtimeStatus").GetString(), final.ToString());
    }

    public async Task<JsonElement> PollAsync(string statusUri, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            using HttpResponseMessage response = await Http.GetAsync(statusUri, cts.Token);
            if (response.StatusCode == System.Net.HttpStatusCode.OK) return await response.Content.ReadFromJsonAsync<JsonElement>(cts.Token);
            await Task.Delay(200, cts.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        Factory.Dispose();
        Contributor.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
        data.Dispose();
    }
}
