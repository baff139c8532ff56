namespace EdgeKv.Azure.Edge;

/// <summary>
/// The device's extended information: its client secret store (the vault) and channel integrity key, and the
/// vault sync status (<c>KeyVaultNotConfigured</c>, <c>KeyVaultSynced</c>, <c>KeyVaultSyncFailed</c>, ...).
/// </summary>
public sealed record EdgeDeviceExtendedInfo(
    string? ClientSecretStoreId,
    string? ClientSecretStoreUrl,
    string? ChannelIntegrityKeyName,
    string? ChannelIntegrityKeyVersion,
    string? KeyVaultSyncStatus);
