using Azure.Core;
using Azure.Security.KeyVault.Secrets;
using EdgeKv.Azure;

namespace EdgeKv.Activities;

/// <summary>
/// Where activities reach Azure (real, or the local emulator): the typed clients, the resource group and location
/// EdgeKv manages, EdgeKv's own object id, and how to act as a resource's system-assigned identity.
/// </summary>
public sealed class AzureContext(
    EdgeKvAzureClientFactory factory,
    string resourceGroup,
    string location,
    Guid serviceObjectId,
    Func<string, CancellationToken, Task<TokenCredential>> identityCredential)
{
    public EdgeKvAzureClientFactory Factory => factory;

    public string SubscriptionId => factory.Options.SubscriptionId;

    public Guid TenantId => factory.Options.TenantId ?? Guid.Empty;

    public string ResourceGroup => resourceGroup;

    public string Location => location;

    /// <summary>EdgeKv's own principal: it creates the vault with itself in the access policies to write the CIK.</summary>
    public Guid ServiceObjectId => serviceObjectId;

    /// <summary>
    /// A credential of the resource's system-assigned identity. Local mode: the emulator's managed-identity endpoint
    /// (App Service protocol). Azure: see README ("Acting as the device's identity").
    /// </summary>
    public Task<TokenCredential> GetIdentityCredentialAsync(string resourceId, CancellationToken cancellationToken)
        => identityCredential(resourceId, cancellationToken);

    /// <summary>A secrets client for the vault acting as EdgeKv itself.</summary>
    public SecretClient CreateServiceSecretClient(Uri vaultUri) => CreateSecretClient(vaultUri, factory.Credential);

    /// <summary>A secrets client for the vault acting as the resource's identity (its Get and Set access).</summary>
    public async Task<SecretClient> CreateIdentitySecretClientAsync(string resourceId, Uri vaultUri, CancellationToken cancellationToken)
        => CreateSecretClient(vaultUri, await GetIdentityCredentialAsync(resourceId, cancellationToken));

    private SecretClient CreateSecretClient(Uri vaultUri, TokenCredential credential) => factory.CreateSecretClient(vaultUri, credential);
}
