using Microsoft.Extensions.Logging;

namespace EdgeKv.Orchestrations.Keys;

/// <summary>
/// The key flows' log lines (replay-safe loggers, event ids 3450-3469): names and version numbers only.
/// </summary>
internal static partial class KeyFlowLogs
{
    [LoggerMessage(3450, LogLevel.Information, "Key {Key} distributed to {Kms}: versions {Versions}.")]
    public static partial void Distributed(ILogger logger, string key, string kms, string versions);

    [LoggerMessage(3451, LogLevel.Information, "Key {Key} removed from {Kms}.")]
    public static partial void Removed(ILogger logger, string key, string kms);

    [LoggerMessage(3452, LogLevel.Information,
        "Key {Key} rotated to version {Version} ({Trigger}); imported into {Providers} vault(s).")]
    public static partial void Rotated(ILogger logger, string key, int version, string trigger, int providers);

    [LoggerMessage(3453, LogLevel.Information,
        "Key {Key}: versions below {MinEnabledVersion} disabled in {Providers} vault(s).")]
    public static partial void MinEnabledVersionApplied(ILogger logger, string key, int minEnabledVersion,
        int providers);
}
