using Microsoft.Extensions.Logging;

namespace EdgeKv.Durable;

/// <summary>The runtime's log lines. Event ids are a contract (dashboards and tests match on them): never reuse one.</summary>
internal static partial class Logs
{
    [LoggerMessage(1001, LogLevel.Information, "Durable worker {WorkerId} started on hub {HubName} (orchestrators {MaxOrchestrators}, activities {MaxActivities}).")]
    public static partial void WorkerStarted(ILogger logger, string workerId, string hubName, int maxOrchestrators, int maxActivities);

    [LoggerMessage(1002, LogLevel.Information, "Durable worker {WorkerId} stopped; {InFlight} in-flight work items were released.")]
    public static partial void WorkerStopped(ILogger logger, string workerId, int inFlight);

    [LoggerMessage(1010, LogLevel.Debug, "Instance {InstanceId}: episode starting with {MessageCount} messages (cached: {Cached}).")]
    public static partial void EpisodeStarting(ILogger logger, string instanceId, int messageCount, bool cached);

    [LoggerMessage(1011, LogLevel.Debug, "Instance {InstanceId}: episode completed, status {Status}, {ActivityCount} activities and {MessageCount} messages queued.")]
    public static partial void EpisodeCompleted(ILogger logger, string instanceId, OrchestrationRuntimeStatus status, int activityCount, int messageCount);

    [LoggerMessage(1012, LogLevel.Information, "Instance {InstanceId} ({Name}) finished: {Status}.")]
    public static partial void InstanceFinished(ILogger logger, string instanceId, string name, OrchestrationRuntimeStatus status);

    [LoggerMessage(1013, LogLevel.Warning, "Instance {InstanceId}: the lease was lost before the episode was saved; the work item is abandoned.")]
    public static partial void OrchestrationLeaseLost(ILogger logger, string instanceId);

    [LoggerMessage(1014, LogLevel.Error, "Instance {InstanceId}: the episode could not be processed; the work item is abandoned.")]
    public static partial void OrchestrationAbandoned(ILogger logger, string instanceId, Exception exception);

    [LoggerMessage(1015, LogLevel.Error, "Instance {InstanceId}: a message was handed out {DequeueCount} times without being processed; the instance fails.")]
    public static partial void PoisonOrchestrationMessage(ILogger logger, string instanceId, int dequeueCount);

    [LoggerMessage(1020, LogLevel.Debug, "Activity {Name} (#{TaskId}) of {InstanceId} starting (hand-out {DequeueCount}).")]
    public static partial void ActivityStarting(ILogger logger, string name, int taskId, string instanceId, int dequeueCount);

    [LoggerMessage(1021, LogLevel.Debug, "Activity {Name} (#{TaskId}) of {InstanceId} completed.")]
    public static partial void ActivityCompleted(ILogger logger, string name, int taskId, string instanceId);

    [LoggerMessage(1022, LogLevel.Warning, "Activity {Name} (#{TaskId}) of {InstanceId} failed: {ErrorType}.")]
    public static partial void ActivityFailed(ILogger logger, string name, int taskId, string instanceId, string errorType);

    [LoggerMessage(1023, LogLevel.Warning, "Activity {Name} (#{TaskId}) of {InstanceId}: the lease was lost; its result is dropped (another worker owns it).")]
    public static partial void ActivityLeaseLost(ILogger logger, string name, int taskId, string instanceId);

    [LoggerMessage(1024, LogLevel.Information, "Activity {Name} (#{TaskId}) of {InstanceId} released at shutdown.")]
    public static partial void ActivityReleased(ILogger logger, string name, int taskId, string instanceId);

    [LoggerMessage(1025, LogLevel.Error, "Activity {Name} (#{TaskId}) of {InstanceId} was handed out {DequeueCount} times without completing; it fails.")]
    public static partial void PoisonActivity(ILogger logger, string name, int taskId, string instanceId, int dequeueCount);

    [LoggerMessage(1030, LogLevel.Error, "The {Dispatcher} dispatcher hit a store error; retrying.")]
    public static partial void DispatcherError(ILogger logger, string dispatcher, Exception exception);
}
