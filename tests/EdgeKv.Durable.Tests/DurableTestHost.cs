using EdgeKv.Durable.Hosting;
using EdgeKv.Tests.Support;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeKv.Durable.Tests;

/// <summary>
/// A real host running the bridges (the SDK worker on a TaskHubWorker, the SDK client) over the SQLite provider in a
/// temp folder, configured the way host.json configures it.
/// </summary>
internal sealed class DurableTestHost : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly TempDirectory? _ownedFolder;

    private DurableTestHost(IHost host, TempDirectory? ownedFolder, string dataPath)
    {
        _host = host;
        _ownedFolder = ownedFolder;
        DataPath = dataPath;
    }

    public DurableTaskClient Client => _host.Services.GetRequiredService<DurableTaskClient>();

    public IServiceProvider Services => _host.Services;

    public string DataPath { get; }

    public static async Task<DurableTestHost> StartAsync(Action<DurableTaskRegistry> register,
        IDictionary<string, string?>? settings = null, string? dataPath = null,
        Action<IServiceCollection>? services = null)
    {
        TempDirectory? folder = dataPath is null ? new TempDirectory("durable") : null;
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.AddFilter(_ => false);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["extensions:durableTask:extendedSessionIdleTimeoutInSeconds"] = "2",
        });
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
        builder.Services.AddDurableTaskHub(builder.Configuration, dataPath ?? folder!.Path, register);
        services?.Invoke(builder.Services);
        IHost host = builder.Build();
        await host.StartAsync();
        return new DurableTestHost(host, folder, dataPath ?? folder!.Path);
    }

    /// <summary>Runs an orchestration to its end and returns its final state (with input and output).</summary>
    public async Task<OrchestrationMetadata> RunAsync(string name, object? input = null, string? instanceId = null)
    {
        string id = await Client.ScheduleNewOrchestrationInstanceAsync(name, input,
            new StartOrchestrationOptions(instanceId));
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        return await Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);
    }

    public Task StopAsync() => _host.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        _ownedFolder?.Dispose();
    }
}
