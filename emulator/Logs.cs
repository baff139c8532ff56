using Microsoft.Extensions.Logging;

namespace EdgeKv.Emulator;

/// <summary>The emulator's log events (stable ids).</summary>
internal static partial class Logs
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Azure emulator listening on {Endpoint} (managed identity endpoint {IdentityEndpoint}), data folder {DataFolder}")]
    public static partial void Started(ILogger logger, Uri endpoint, Uri identityEndpoint, string dataFolder);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "Unhandled error on {Method} {Path}")]
    public static partial void UnhandledError(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Injected fault {Kind} on {Method} {Path}")]
    public static partial void FaultInjected(ILogger logger, string kind, string method, string path);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Admin action {Action} on {Target}")]
    public static partial void AdminAction(ILogger logger, string action, string target);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Emulator clock shifted by {Shift}")]
    public static partial void ClockShifted(ILogger logger, TimeSpan shift);
}
