using DurableTask.Core.Exceptions;
using EdgeKv.Activities.Secrets;
using EdgeKv.Functions.Health;
using EdgeKv.Orchestrations;
using EdgeKv.Records;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace EdgeKv.Functions.Device;

/// <summary>
/// Scheduled CIK rotation: on each run of the health sweep's timer, every settled resource whose CIK is at least
/// <see cref="SecretLifecycleSettings.ChannelIntegrityKeyRotationPeriod"/> old is rotated by the same flow as
/// <c>POST /api/resources/{name}/rotateChannelIntegrityKey</c> (a rotation already running is joined, not doubled).
/// A record that does not say when its CIK was written is left alone until its next activation or rotation says so; a
/// rotation that ended without reaching the device (it was away) is tried again a day later.
/// </summary>
public sealed partial class CikRotationScheduler(ResourceStore store, IOptions<SecretLifecycleSettings> lifecycle,
    IOptions<HealthSettings> health, TimeProvider time,
    ILogger<CikRotationScheduler> logger)
{
    private const int Page = 500;

    /// <summary>How long after a rotation that did not reach the device the next one is tried.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromDays(1);

    /// <summary>Starts the due rotations; answers the resources it started them for.</summary>
    public async Task<IReadOnlyList<string>> StartDueAsync(DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        TimeSpan period = lifecycle.Value.ChannelIntegrityKeyRotationPeriod;
        var started = new List<string>();
        if (period <= TimeSpan.Zero) return started;
        DateTimeOffset now = time.GetUtcNow();
        string? after = null;
        while (true)
        {
            IReadOnlyList<ResourceRecord> page = await store.ListPageAsync(after, Page, cancellationToken);
            foreach (ResourceRecord record in page.Where(r => r.IsSettled(now) && r.CikSecretVersion is not null && r.CikCreatedAt is { } created && created + period <= now))
            {
                string instanceId = RotateChannelIntegrityKeyOrchestrator.InstanceIdFor(record.Name);
                OrchestrationMetadata? last = await client.GetInstanceAsync(instanceId,
                    cancellation: cancellationToken);
                // Running: joined. Ended within the day without rotating (the device was away): tried again tomorrow,
                // not every run.
                if (last is { IsRunning: true } || (last is not null && last.LastUpdatedAt > now - RetryAfter)) continue;
                try
                {
                    await client.ScheduleNewOrchestrationInstanceAsync(RotateChannelIntegrityKeyOrchestrator.Name,
                        new RotateCikRequest(record.Name, health.Value.DeviceSyncTimeout, "timer"),
                        new StartOrchestrationOptions(instanceId), cancellationToken);
                }
                catch (OrchestrationAlreadyExistsException)
                {
                    continue;
                }

                LogRotationDue(logger, record.Name, record.CikCreatedAt!.Value);
                started.Add(record.Name);
            }

            if (page.Count < Page) return started;
            after = page[^1].Name;
        }
    }

    [LoggerMessage(2153, LogLevel.Information,
        "The CIK of {Resource}, written {CreatedAt:u}, is due for rotation: started by the timer.")]
    private static partial void LogRotationDue(ILogger logger, string resource, DateTimeOffset createdAt);
}
