using Microsoft.Extensions.Logging;

namespace EdgeKv.Activities;

/// <summary>
/// The activities' log lines, with stable event ids (3000-3099). They name resources and references, never secret
/// values.
/// </summary>
internal static partial class Logs
{
    [LoggerMessage(3001, LogLevel.Information, "Provider {Namespace} registered for the activation of {Resource}.")]
    public static partial void ProviderRegistered(ILogger logger, string @namespace, string resource);

    [LoggerMessage(3002, LogLevel.Warning,
        "Provider Microsoft.Storage is not registered for {Resource}: the audit storage account may fail (not blocking).")]
    public static partial void StorageProviderNotRegistered(ILogger logger, string resource);

    [LoggerMessage(3003, LogLevel.Information, "Vault {Vault} created for {Resource}.")]
    public static partial void VaultCreated(ILogger logger, string vault, string resource);

    [LoggerMessage(3004, LogLevel.Information, "Vault {Vault} of {Resource} already exists; kept.")]
    public static partial void VaultKept(ILogger logger, string vault, string resource);

    [LoggerMessage(3005, LogLevel.Information, "Lock {Lock} on {Scope}.")]
    public static partial void Locked(ILogger logger, string @lock, string scope);

    [LoggerMessage(3006, LogLevel.Information,
        "Channel integrity key of {Resource} stored as {SecretName} version {Version}.")]
    public static partial void CikStored(ILogger logger, string resource, string secretName, string version);

    [LoggerMessage(3007, LogLevel.Information, "Audit storage account {Account} for {Resource}: {State}.")]
    public static partial void AuditStorage(ILogger logger, string account, string resource, string? state);

    [LoggerMessage(3008, LogLevel.Information,
        "Diagnostic setting {Setting} on vault {Vault} sends audit events to {Account}.")]
    public static partial void DiagnosticSetting(ILogger logger, string setting, string vault, string account);

    [LoggerMessage(3009, LogLevel.Information,
        "Identity {PrincipalId} of {Resource} granted Get and Set on secrets of {Vault}.")]
    public static partial void AccessGranted(ILogger logger, Guid principalId, string resource, string vault);

    [LoggerMessage(3010, LogLevel.Information,
        "Activation key {KeyId} issued for {Resource}, valid until {ExpiresAt:O}; the identity read the vault.")]
    public static partial void KeyIssued(ILogger logger, string keyId, string resource, DateTimeOffset expiresAt);

    [LoggerMessage(3011, LogLevel.Information, "System-assigned identity of {Resource} enabled ({PrincipalId}).")]
    public static partial void IdentityEnabled(ILogger logger, string resource, Guid principalId);

    [LoggerMessage(3030, LogLevel.Information,
        "Health page after {After}: {Checked} checked, {Skipped} skipped (no vault), {Faults} faults found.")]
    public static partial void HealthPageChecked(ILogger logger, string after, int @checked, int skipped, int faults);

    [LoggerMessage(3031, LogLevel.Information, "Notification {Kind} for {Resource} posted ({Alerts} alerts).")]
    public static partial void Notified(ILogger logger, string kind, string resource, int alerts);

    [LoggerMessage(3032, LogLevel.Information,
        "Deleted device secret {Secret} of {Resource} recovered before the device pushes.")]
    public static partial void DeletedSecretRecovered(ILogger logger, string secret, string resource);

    [LoggerMessage(3033, LogLevel.Information, "Vault {Vault} of {Resource} recovered from soft-delete.")]
    public static partial void VaultRecovered(ILogger logger, string vault, string resource);

    [LoggerMessage(3034, LogLevel.Information,
        "Activation key {KeyId} of {Resource} regenerated; the previous key is no longer valid.")]
    public static partial void KeyRegenerated(ILogger logger, string keyId, string resource);

    [LoggerMessage(3035, LogLevel.Information, "Lock {Lock} removed from {Scope}.")]
    public static partial void Unlocked(ILogger logger, string @lock, string scope);

    [LoggerMessage(3036, LogLevel.Information, "Deleted {ResourceId}.")]
    public static partial void ResourceDeleted(ILogger logger, string resourceId);

    [LoggerMessage(3171, LogLevel.Information,
        "Access policy of {ObjectId} on vault {Vault} of {Resource}: {Action}; {StillFlagged} entries still not granted by EdgeKv.")]
    public static partial void AccessPolicyHealed(ILogger logger, string objectId, string resource, string vault,
        string action, int stillFlagged);

    [LoggerMessage(3172, LogLevel.Information,
        "Role assignment {Assignment} of {PrincipalId} removed from the vault of {Resource}.")]
    public static partial void RoleAssignmentRemoved(ILogger logger, Guid assignment, Guid principalId,
        string resource);
}
