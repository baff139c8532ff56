using EdgeKv.Activities.Health;
using DurableTask.Core.Exceptions;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using EdgeKv.Orchestrations;
using Microsoft.Extensions.Options;

namespace EdgeKv.Functions.Health;

/// <summary>
/// Starts the sweep under its fixed instance id; a sweep already running (on any host of the store) is joined, not
/// doubled.
/// </summary>
public sealed partial class HealthSweepStarter(IOptions<HealthSettings> settings, ILogger<HealthSweepStarter> logger)
{
    /// <summary>True when this call started a sweep; false when one was already running.</summary>
    public async Task<bool> StartAsync(DurableTaskClient client, string trigger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        HealthSettings s = settings.Value;
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(HealthSweepOrchestrator.Name,
                new SweepRequest(s.SweepPageSize, s.SweepParallelPages, trigger),
                new StartOrchestrationOptions(HealthSweepOrchestrator.InstanceId), cancellationToken);
            LogStarted(logger, trigger);
            return true;
        }
        catch (OrchestrationAlreadyExistsException)
        {
            LogAlreadyRunning(logger, trigger);
            return false;
        }
    }

    [LoggerMessage(2201, LogLevel.Information, "Health sweep started ({Trigger}).")]
    private static partial void LogStarted(ILogger logger, string trigger);

    [LoggerMessage(2202, LogLevel.Information, "Health sweep not started ({Trigger}): one is already running.")]
    private static partial void LogAlreadyRunning(ILogger logger, string trigger);
}
