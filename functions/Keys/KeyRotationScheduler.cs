using EdgeKv.Activities.Keys;
using EdgeKv.Functions.Healing;
using EdgeKv.Orchestrations.Keys;
using EdgeKv.Records.Keys;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace EdgeKv.Functions.Keys;

/// <summary>
/// Automatic rotation: on each run of the health sweep's timer, every key with a <c>rotationPeriod</c> whose latest
/// version is at least that old is rotated by the same flow as <c>POST /api/keys/{name}/rotate</c> (a rotation already
/// running for it is joined, not doubled).
/// </summary>
public sealed partial class KeyRotationScheduler(KeyStore store, TimeProvider time,
    ILogger<KeyRotationScheduler> logger)
{
    private const int Page = 500;

    /// <summary>Starts the due rotations; answers the keys it started (or joined).</summary>
    public async Task<IReadOnlyList<string>> StartDueAsync(DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        DateTimeOffset now = time.GetUtcNow();
        var started = new List<string>();
        string? after = null;
        while (true)
        {
            IReadOnlyList<KeyRecord> keys = await store.ListKeysAsync(after, Page, cancellationToken);
            foreach (KeyRecord key in keys.Where(k => k.RotationPeriod is { } period && k.LatestVersionCreatedAt + period <= now))
            {
                string instanceId = KeyFlowIds.Rotate(key.Name);
                if (await client.GetInstanceAsync(instanceId,
                    cancellation: cancellationToken) is { IsRunning: true }) continue;
                try
                {
                    await client.ScheduleNewOrchestrationInstanceAsync(RotateKeyOrchestrator.Name,
                        new RotateKeyRequest(key.Name, key.LatestVersion + 1, "timer"),
                        new StartOrchestrationOptions(instanceId), cancellationToken);
                }
                catch (DurableTask.Core.Exceptions.OrchestrationAlreadyExistsException)
                {
                    continue;
                }

                LogRotationDue(logger, key.Name, key.LatestVersion + 1);
                started.Add(key.Name);
            }

            if (keys.Count < Page) return started;
            after = keys[^1].Name;
        }
    }

    [LoggerMessage(2421, LogLevel.Information,
        "Key {Name} is due for rotation: version {Version} started by the timer.")]
    private static partial void LogRotationDue(ILogger logger, string name, int version);
}
