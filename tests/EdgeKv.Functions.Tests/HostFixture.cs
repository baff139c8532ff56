using EdgeKv.Local;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeKv.Functions.Hosting;
using EdgeKv.Local.Emulator;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using EdgeKv.Tests.Support;

namespace EdgeKv.Functions.Tests;

/// <summary>The real EdgeKv host, in-process, on a free loopback port with its data in a temp folder.</summary>
internal sealed class HostFixture : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TempDirectory _data;

    private HostFixture(WebApplication app, TempDirectory data, Uri baseAddress)
    {
        DataPath = data.Path;
        _app = app;
        _data = data;
        Http = new HttpClient { BaseAddress = baseAddress };
    }

    public HttpClient Http { get; }

    public string DataPath { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>
    /// A token from the in-process emulator's token service for one of its test principals (default audience:
    /// EdgeKv's).
    /// </summary>
    public Task<string> IssueTokenAsync(string principal, string audience = "api://edgekv",
        TimeSpan? lifetime = null) =>
        _app.Services.GetRequiredService<EmulatorConnection>().Emulator!.Admin.IssueTokenAsync(principal, audience,
            lifetime);

    public static async Task<HostFixture> StartAsync(
        Action<Microsoft.DurableTask.DurableTaskRegistry>? register = null, Action<IServiceCollection>? services = null,
        params string[] extraArgs)
    {
        var data = new TempDirectory("host");
        string[] args = ["--urls", "http://127.0.0.1:0", "--EdgeKv:DataPath", data.Path, "--Logging:LogLevel:Default",
            "Warning", "--EdgeKv:Azure:EmulatorPort", "0", "--EdgeKv:Azure:EmulatorIdentityPort", "0", .. extraArgs];
        WebApplication app = EdgeKvApplication.Build(args, builder =>
        {
            if (register is not null) Durable.Hosting.DurableTaskHostingExtensions.AddDurableTasks(builder.Services,
                register);
            services?.Invoke(builder.Services);
        });
        await app.StartAsync();
        var fixture = new HostFixture(app, data, new Uri(app.Urls.First()));
        // Every API call is authenticated: the fixture's client acts as the security team (service-wide app role).
        fixture.Http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", await fixture.IssueTokenAsync("security-team"));
        return fixture;
    }

    /// <summary>Polls the status URI the way a client of Durable Functions does, until it answers 200.</summary>
    public async Task<JsonElement> PollUntilDoneAsync(string statusUri)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        while (true)
        {
            using HttpResponseMessage response = await Http.GetAsync(statusUri, timeout.Token);
            if (response.StatusCode == System.Net.HttpStatusCode.OK) return await response.Content.ReadFromJsonAsync<JsonElement>(timeout.Token);
            Assert.AreEqual(System.Net.HttpStatusCode.Accepted, response.StatusCode);
            await Task.Delay(TimeSpan.FromMilliseconds(50),
                timeout.Token); // the client's own poll interval, as Retry-After allows
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _data.Dispose();
    }
}
