using DurableTask.Core;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Hosting;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeKv.Durable.Worker;

/// <summary>
/// A Durable Task SDK worker that runs the registry's orchestrators and activities on the Durable Task Framework's own
/// <see cref="TaskHubWorker"/> over any <see cref="IOrchestrationService"/> (the SQLite provider, Azure Storage).
/// Select it with <c>UseBuildTarget&lt;TaskHubDurableTaskWorker&gt;()</c>. Failures travel as failure details, so
/// <c>TaskFailureDetails.IsCausedBy</c> works in retry handlers; stopping lets in-flight work finish first.
/// </summary>
public sealed class TaskHubDurableTaskWorker : DurableTaskWorker, IDurableTaskHealth
{
    private readonly IOrchestrationService _service;
    private readonly DurableTaskWorkerOptions _options;
    private readonly IServiceProvider _services;
    private readonly ILoggerFactory _loggerFactory;
    private readonly CancellationTokenSource _stopping = new();
    private TaskHubWorker? _worker;

    public TaskHubDurableTaskWorker(string name, IDurableTaskFactory factory,
        IOptionsMonitor<DurableTaskWorkerOptions> options,
        IOrchestrationService service, IServiceProvider services, ILoggerFactory loggerFactory)
        : base(name, factory)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Get(name);
        _service = service;
        _services = services;
        _loggerFactory = loggerFactory;
    }

    public bool IsReady { get; private set; }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var shims = new DurableTaskShimFactory(_options, _loggerFactory);
        _worker = new TaskHubWorker(
            _service,
            new OrchestrationLookup(Factory, shims, _services),
            new ActivityLookup(Factory, shims, _services.GetRequiredService<IServiceScopeFactory>(), _stopping.Token),
            _loggerFactory)
        {
            ErrorPropagationMode = ErrorPropagationMode.UseFailureDetails,
        };

        // The hub exists before the worker or any client uses it; both are started with the host.
        await _service.CreateIfNotExistsAsync();
        await _worker.StartAsync();
        IsReady = true;
        await base.StartAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.CompletedTask;

    /// <summary>
    /// Graceful: the dispatchers stop taking work and the framework waits for what runs; past the host's timeout,
    /// activities are cancelled.
    /// </summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        IsReady = false;
        using CancellationTokenRegistration forced = cancellationToken.Register(_stopping.Cancel);
        if (_worker is not null) await _worker.StopAsync(isForced: false);
        await base.StopAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _worker?.Dispose();
        _stopping.Dispose();
        base.Dispose();
    }
}
