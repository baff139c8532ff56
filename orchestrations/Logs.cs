using Microsoft.Extensions.Logging;

namespace EdgeKv.Orchestrations;

/// <summary>Orchestrators' log lines (replay-safe loggers), with stable event ids (3100-3199).</summary>
internal static partial class Logs
{
    [LoggerMessage(3101, LogLevel.Information,
        "Activation of {Resource} completed with vault {Vault} ({Warnings} warnings).")]
    public static partial void ActivationCompleted(ILogger logger, string resource, string vault, int warnings);

    [LoggerMessage(3102, LogLevel.Warning, "Activation of {Resource} failed: {Reason}")]
    public static partial void ActivationFailed(ILogger logger, string resource, string reason);

    [LoggerMessage(3120, LogLevel.Information,
        "Health sweep completed: {Checked} checked, {Skipped} skipped, {Raised} alerts raised, {Resolved} resolved.")]
    public static partial void SweepCompleted(ILogger logger, int @checked, int skipped, int raised, int resolved);

    [LoggerMessage(3123, LogLevel.Warning,
        "Health sweep: {UncheckedCount} of {Pages} pages could not be checked (their alerts are kept as they were; the next sweep checks them).")]
    public static partial void SweepPagesUnchecked(ILogger logger, int uncheckedCount, int pages);

    [LoggerMessage(3124, LogLevel.Warning,
        "Health sweep {SweepId} finished but could not be written to the sweep history.")]
    public static partial void SweepNotRecorded(ILogger logger, string sweepId);

    [LoggerMessage(3121, LogLevel.Information, "{Flow} of {Resource} completed.")]
    public static partial void Healed(ILogger logger, string flow, string resource);

    [LoggerMessage(3122, LogLevel.Warning, "{Flow} of {Resource} ended without healing: {Reason}")]
    public static partial void NotHealed(ILogger logger, string flow, string resource, string reason);
}
