using Microsoft.Extensions.Logging;

namespace EdgeKv.Durable.Sqlite;

/// <summary>
/// The provider's logs. Event ids are a contract (tests assert them); names and ids only, never inputs, outputs or
/// event payloads.
/// </summary>
internal static partial class Logs
{
    public const int SchemaAppliedId = 3001;
    public const int LeasesReleasedId = 3002;
    public const int CheckpointStartingId = 3010;
    public const int CheckpointCompletedId = 3011;
    public const int LeaseLostId = 3012;
    public const int DiscardingMessagesId = 3013;
    public const int PoisonOrchestrationId = 3020;
    public const int PoisonActivityId = 3021;
    public const int ActivityLeaseLostId = 3022;
    public const int LeaseRenewalFailedId = 3023;
    public const int DuplicateStartRefusedId = 3030;

    [LoggerMessage(SchemaAppliedId, LogLevel.Information,
        "Task hub {TaskHub}: {Count} schema script(s) applied, now at version {Version}.")]
    public static partial void SchemaApplied(ILogger logger, string taskHub, int count, int version);

    [LoggerMessage(LeasesReleasedId, LogLevel.Warning,
        "Task hub {TaskHub}: released {Instances} instance and {Activities} activity lease(s) a previous process of owner {Owner} still held.")]
    public static partial void LeasesReleased(ILogger logger, string taskHub, string owner, int instances,
        int activities);

    [LoggerMessage(CheckpointStartingId, LogLevel.Debug,
        "Instance {InstanceId} ({Name}): checkpoint starting, {NewEvents} new event(s), status {Status}.")]
    public static partial void CheckpointStarting(ILogger logger, string instanceId, string name, int newEvents,
        string status);

    [LoggerMessage(CheckpointCompletedId, LogLevel.Debug,
        "Instance {InstanceId} ({Name}): checkpoint completed in {ElapsedMs} ms.")]
    public static partial void CheckpointCompleted(ILogger logger, string instanceId, string name, long elapsedMs);

    [LoggerMessage(LeaseLostId, LogLevel.Warning,
        "Instance {InstanceId}: this host no longer holds its lease ({Reason}); the work item is abandoned.")]
    public static partial void LeaseLost(ILogger logger, string instanceId, string reason);

    [LoggerMessage(DiscardingMessagesId, LogLevel.Warning,
        "Instance {InstanceId}: {Count} message(s) discarded ({Reason}).")]
    public static partial void DiscardingMessages(ILogger logger, string instanceId, int count, string reason);

    [LoggerMessage(PoisonOrchestrationId, LogLevel.Error,
        "Instance {InstanceId}: a message was handed out {DequeueCount} times without being processed; the instance fails.")]
    public static partial void PoisonOrchestration(ILogger logger, string instanceId, int dequeueCount);

    [LoggerMessage(PoisonActivityId, LogLevel.Error,
        "Activity {Name} (#{TaskId}) of {InstanceId} was handed out {DequeueCount} times without completing; it fails.")]
    public static partial void PoisonActivity(ILogger logger, string name, int taskId, string instanceId,
        int dequeueCount);

    [LoggerMessage(LeaseRenewalFailedId, LogLevel.Warning,
        "Lease renewal round failed ({Reason}); the next round tries again.")]
    public static partial void LeaseRenewalFailed(ILogger logger, string reason);

    [LoggerMessage(ActivityLeaseLostId, LogLevel.Warning,
        "Activity #{TaskId} of {InstanceId}: this host no longer holds its lease; its result is dropped (the new holder runs it).")]
    public static partial void ActivityLeaseLost(ILogger logger, int taskId, string instanceId);

    [LoggerMessage(DuplicateStartRefusedId, LogLevel.Information,
        "Instance {InstanceId}: start refused, an instance with that id is {Status}.")]
    public static partial void DuplicateStartRefused(ILogger logger, string instanceId, string status);
}
