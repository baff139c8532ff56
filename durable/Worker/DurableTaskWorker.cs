using EdgeKv.Durable.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeKv.Durable.Worker;

/// <summary>The hosted service that opens the store and runs both dispatchers until the host stops.</summary>
internal sealed class DurableTaskWorker : BackgroundService
{
    private readonly DurableTaskRuntime _runtime;
    private readonly ILogger _logger;
    private volatile bool _running;

    public DurableTaskWorker(DurableTaskRuntime runtime)
    {
        _runtime = runtime;
        _logger = runtime.LoggerFactory.CreateLogger("EdgeKv.Durable.Worker");
    }

    /// <summary>True while the store is open and both dispatchers run (the host's readiness).</summary>
    public bool IsRunning => _running;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // The store is opened before the host serves requests, so a starter never meets an uninitialized store.
        await _runtime.Store.InitializeAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        DurableTaskOptions options = _runtime.Options;
        Logs.WorkerStarted(_logger, options.WorkerId, options.HubName, options.MaxConcurrentOrchestratorFunctions, options.MaxConcurrentActivityFunctions);
        _runtime.WakeAt(_runtime.Time.GetUtcNow().UtcDateTime);
        _running = true;
        try
        {
            Task orchestrations = new OrchestrationDispatcher(_runtime).RunAsync(stoppingToken);
            Task<int> activities = new ActivityDispatcher(_runtime).RunAsync(stoppingToken);
            await Task.WhenAll(orchestrations, activities);

            // An activity that finished during the grace period leased its orchestration to this worker, after the
            // orchestration dispatcher had stopped: release it, so another host takes it now, not when the lease expires.
            while (_runtime.LocalOrchestrations.Reader.TryRead(out OrchestrationWorkItem? stranded))
            {
                await _runtime.Store.AbandonOrchestrationAsync(stranded, CancellationToken.None);
            }

            Logs.WorkerStopped(_logger, options.WorkerId, await activities);
        }
        finally
        {
            _running = false;
        }
    }
}
