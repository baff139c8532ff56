using Microsoft.Extensions.Logging;

namespace EdgeKv.Emulator;

/// <summary>The emulator's log events (stable ids).</summary>
internal static partial class Logs
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "Azure emulator listening on {Endpoint} (managed identity endpoint {IdentityEndpoint}), data folder {DataFolder}")]
    public static partial void Started(ILogger logger, Uri endpoint, Uri identityEndpoint, string dataFolder);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "Unhandled error on {Method} {Path}")]
    public static partial void UnhandledError(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Injected fault {Kind} on {Method} {Path}")]
    public static partial void FaultInjected(ILogger logger, string kind, string method, string path);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Admin action {Action} on {Target}")]
    public static partial void AdminAction(ILogger logger, string action, string target);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Emulator clock shifted by {Shift}")]
    public static partial void ClockShifted(ILogger logger, TimeSpan shift);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning,
        Message = "Event Grid delivery of {EventType} {EventId} to subscription {SubscriptionId}: attempt {Attempt} answered {Status}, {Outcome}")]
    public static partial void EventDeliveryFailed(ILogger logger, string eventType, string eventId,
        string subscriptionId, int attempt, int status, string outcome);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning,
        Message = "Event Grid validation handshake failed for subscription {SubscriptionId} (status {Status})")]
    public static partial void EventSubscriptionValidationFailed(ILogger logger, string subscriptionId, int status);

    [LoggerMessage(EventId = 8, Level = LogLevel.Warning,
        Message = "Vault {Vault} could not have its port {OldPort} back; it now answers on {NewPort}")]
    public static partial void VaultPortMoved(ILogger logger, string vault, int oldPort, int newPort);
}
