using Azure;
using Azure.Core;
using Azure.Security.KeyVault.Secrets;
using EdgeKv.Azure;
using EdgeKv.Records;

namespace EdgeKv.Activities;

/// <summary>
/// Where activities reach Azure (real, or the local emulator): the typed clients, the resource group and location
/// EdgeKv manages, EdgeKv's own object id, and how to act as a resource's system-assigned identity where that is
/// possible (local mode: the emulator's managed-identity endpoint issues its tokens); null where it is not (Azure).
/// </summary>
public sealed class AzureContext(
    EdgeKvAzureClientFactory factory,
    string resourceGroup,
    string location,
    Guid serviceObjectId,
    Func<string, CancellationToken, Task<TokenCredential>>? identityCredential,
    VaultRoleIds? vaultRoles = null)
{
    public EdgeKvAzureClientFactory Factory => factory;

    public string SubscriptionId => factory.Options.SubscriptionId;

    public Guid TenantId => factory.Options.TenantId ?? Guid.Empty;

    public string ResourceGroup => resourceGroup;

    public string Location => location;

    /// <summary>
    /// EdgeKv's own principal: it creates the vault with itself in the access policies to write the CIK.
    /// </summary>
    public Guid ServiceObjectId => serviceObjectId;

    /// <summary>The GUIDs of the two vault data roles infra defines, for vaults on Azure RBAC.</summary>
    public VaultRoleIds VaultRoles => vaultRoles ?? throw new InvalidOperationException(
        $"A vault on Azure RBAC needs {Activation.VaultPermissionSettings.DeviceRoleKey} and {Activation.VaultPermissionSettings.ServiceRoleKey} (infra/vault-rbac-roles.bicep defines the roles).");

    /// <summary>
    /// Whether EdgeKv can sign in as a resource's system-assigned identity (local mode) or only check its grant
    /// (Azure).
    /// </summary>
    public bool ActsAsResourceIdentity => identityCredential is not null;

    /// <summary>A secrets client for the vault acting as EdgeKv itself.</summary>
    public SecretClient CreateServiceSecretClient(Uri vaultUri) => CreateSecretClient(vaultUri, factory.Credential);

    /// <summary>
    /// A secrets client for the resource's vault within the identity's grant (Get and Set on secrets). Where EdgeKv can
    /// act as the identity, the vault sees the identity's own token. Where it cannot (Azure), the grant is proven first
    /// (<see cref="IdentityVaultGrant"/>) and the call is made as EdgeKv; a grant that is not in force is refused as
    /// the vault would refuse the identity: 403 <c>ForbiddenByPolicy</c>, with the finding in the message.
    /// </summary>
    public async Task<SecretClient> CreateIdentitySecretClientAsync(ResourceRecord record,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        Uri vaultUri = new(record.VaultUri ?? throw new InvalidOperationException($"Resource '{record.Name}' has no vault yet."));
        if (identityCredential is not null) return CreateSecretClient(vaultUri,
            await identityCredential(record.ResourceId, cancellationToken));
        if (await IdentityVaultGrant.CheckAsync(this, record, cancellationToken) is { } refusal)
        {
            throw new RequestFailedException(403, $"{refusal.Code}: {refusal.Message}", "ForbiddenByPolicy", null);
        }

        return CreateServiceSecretClient(vaultUri);
    }

    private SecretClient CreateSecretClient(Uri vaultUri,
        TokenCredential credential) => factory.CreateSecretClient(vaultUri, credential);
}
