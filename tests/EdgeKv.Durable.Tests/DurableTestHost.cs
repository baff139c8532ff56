using EdgeKv.Durable.Storage;
using EdgeKv.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeKv.Durable.Tests;

/// <summary>A real host running the durable worker on a SQLite file in a temp folder (or a store of the test's), optionally on a manual clock.</summary>
internal sealed class DurableTestHost : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly TempDirectory? _ownedFolder;

    private DurableTestHost(IHost host, TempDirectory? ownedFolder, ManualTimeProvider? clock)
    {
        _host = host;
        _ownedFolder = ownedFolder;
        Clock = clock;
    }

    public DurableTaskClient Client => _host.Services.GetRequiredService<DurableTaskClient>();

    public IOrchestrationStore Store => _host.Services.GetRequiredService<IOrchestrationStore>();

    public ManualTimeProvider? Clock { get; }

    public static async Task<DurableTestHost> StartAsync(
        Action<DurableTaskRegistry> register,
        ManualTimeProvider? clock = null,
        Action<DurableTaskOptions>? configure = null,
        string? dataPath = null,
        Func<TimeProvider, IOrchestrationStore>? store = null)
    {
        TempDirectory? folder = dataPath is null ? new TempDirectory("durable") : null;
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.AddFilter(_ => false);
        if (clock is not null) builder.Services.AddSingleton<TimeProvider>(clock);
        if (store is not null) builder.Services.AddSingleton(sp => store(sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddDurableTask(dataPath ?? folder!.Path, register);
        builder.Services.Configure<DurableTaskOptions>(o =>
        {
            o.MaxPollingInterval = TimeSpan.FromMilliseconds(100);
            o.ShutdownGracePeriod = TimeSpan.FromSeconds(2);
            configure?.Invoke(o);
        });
        IHost host = builder.Build();
        await host.StartAsync();
        return new DurableTestHost(host, folder, clock);
    }

    /// <summary>Runs an orchestration to its end and returns its final state (with input and output).</summary>
    public async Task<OrchestrationMetadata> RunAsync(string name, object? input = null, string? instanceId = null)
    {
        string id = await Client.ScheduleNewOrchestrationInstanceAsync(name, input, new StartOrchestrationOptions(instanceId));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return await Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        _ownedFolder?.Dispose();
    }
}
