using Microsoft.Extensions.Logging;

namespace EdgeKv.Activities.Keys;

/// <summary>
/// The key-management activities' log lines (event ids 3400-3449): names, versions and vault references, never
/// material.
/// </summary>
internal static partial class KeyLogs
{
    [LoggerMessage(3400, LogLevel.Information,
        "Key {Key} version {Version} imported into vault {Vault} ({Protection}) as Azure version {AzureVersion}.")]
    public static partial void Imported(ILogger logger, string key, int version, string vault, string protection,
        string azureVersion);

    [LoggerMessage(3401, LogLevel.Information,
        "Key {Key} version {Version} already in vault {Vault} as Azure version {AzureVersion}; kept.")]
    public static partial void AlreadyImported(ILogger logger, string key, int version, string vault,
        string azureVersion);

    [LoggerMessage(3409, LogLevel.Warning,
        "Key {Key} in vault {Vault}: the current version is not one EdgeKv made; version {Version} is imported to be current again.")]
    public static partial void ForeignCurrent(ILogger logger, string key, string vault, int version);

    [LoggerMessage(3402, LogLevel.Information, "Key exchange key {Kek} created in vault {Vault} for BYOK import.")]
    public static partial void KeyExchangeKeyCreated(ILogger logger, string kek, string vault);

    [LoggerMessage(3403, LogLevel.Information, "Key {Key} removed from vault {Vault}.")]
    public static partial void Removed(ILogger logger, string key, string vault);

    [LoggerMessage(3404, LogLevel.Information, "Key {Key} version {Version} created in EdgeKv.")]
    public static partial void VersionCreated(ILogger logger, string key, int version);

    [LoggerMessage(3405, LogLevel.Information,
        "Key {Key} Azure version {AzureVersion} (EdgeKv version {Version}) in vault {Vault} set enabled={Enabled}.")]
    public static partial void VersionEnabledSet(ILogger logger, string key, string azureVersion, int version,
        string vault, bool enabled);

    [LoggerMessage(3407, LogLevel.Warning, "Key {Key} in vault {Vault} drifted: {Finding}")]
    public static partial void DriftFound(ILogger logger, string key, string vault, string finding);

    [LoggerMessage(3408, LogLevel.Warning,
        "Drift check: the vault of KMS provider {Kms} could not be opened ({Error}); its keys are checked next sweep.")]
    public static partial void VaultUnchecked(ILogger logger, string kms, string error);

    [LoggerMessage(3406, LogLevel.Information, "Deleted key {Key} recovered in vault {Vault} before import.")]
    public static partial void DeletedKeyRecovered(ILogger logger, string key, string vault);
}
