using EdgeKv.Records;

namespace EdgeKv.Functions.Resources;

/// <summary>A resource as the API shows it: references and states, no credential hashes.</summary>
public sealed record ResourceView(
    string Name,
    string ResourceId,
    string ResourceGroup,
    string? SubscriptionId,
    string Location,
    Guid? PrincipalId,
    bool PreVaultIntegration,
    VaultView? Vault,
    string? ChannelIntegrityKeyName,
    string? ChannelIntegrityKeyVersion,
    string? AuditStorageAccountId,
    string? DiagnosticSettingId,
    string ActivationState,
    IReadOnlyList<string> ActivationWarnings,
    DateTimeOffset? ActivationKeyExpiresAt,
    bool ActivationKeyDelivered,
    string DeviceState,
    IReadOnlyList<string> DeviceSecretNames,
    DateTimeOffset? ChannelIntegrityKeyCreatedAt = null,
    string? PendingChannelIntegrityKeyVersion = null)
{
    public static ResourceView From(ResourceRecord r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new ResourceView(r.Name, r.ResourceId, r.ResourceGroup, ResourceRecord.SubscriptionOf(r.ResourceId),
            r.Location, r.PrincipalId, r.PreVaultIntegration,
            r.VaultId is null ? null : new VaultView(r.VaultName!, r.VaultUri, r.VaultId),
            r.CikSecretName, r.CikSecretVersion, r.AuditStorageAccountId, r.DiagnosticSettingId,
            r.ActivationState.ToString(), r.ActivationWarnings,
            r.ActivationKeyExpiresAt, r.ActivationKeyDelivered, r.DeviceState.ToString(), r.DeviceSecretNames,
            r.CikCreatedAt, r.PendingCikSecretVersion);
    }
}

public sealed record VaultView(string Name, string? Uri, string Id);

/// <summary>
/// Body of <c>PUT /api/resources/{name}</c>: empty to create, or the id of an existing resource to adopt.
/// </summary>
public sealed record PutResourceRequest(string? ResourceId = null, string? Location = null);
