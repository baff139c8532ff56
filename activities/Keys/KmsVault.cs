using Azure.Core;
using Azure.Identity;
using EdgeKv.Azure;
using EdgeKv.Azure.Keys;
using EdgeKv.Azure.Vaults;
using EdgeKv.Records.Keys;

namespace EdgeKv.Activities.Keys;

/// <summary>
/// A KMS provider's vault, reached as the provider says: with its own service principal when it has one, else with the
/// standard <c>AZURE_CLIENT_ID</c> / <c>AZURE_CLIENT_SECRET</c> / <c>AZURE_TENANT_ID</c> variables when all three are
/// set, else as EdgeKv itself. The vault is the key collection: read by name in EdgeKv's group as EdgeKv, found by name
/// among the subscription's vaults as another principal.
/// </summary>
public sealed record KmsVault(VaultProperties Vault, KeysClient Keys)
{
    public const string EdgeKvKeyTag = "edgekv-key";
    public const string EdgeKvVersionTag = "edgekv-version";

    public bool IsPremium => string.Equals(Vault.SkuName, "premium", StringComparison.OrdinalIgnoreCase);

    /// <summary>Opens the provider's vault; a refusal when the provider or its vault does not exist.</summary>
    public static async Task<KmsVault> OpenAsync(AzureContext azure, KeyStore store, string kmsName,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(azure);
        ArgumentNullException.ThrowIfNull(store);
        KmsProviderRecord provider = await store.GetProviderAsync(kmsName, cancellationToken)
            ?? throw new ActivationRefusedException("KmsProviderNotFound",
                $"EdgeKv has no KMS provider named '{kmsName}'.");
        TokenCredential credential = CredentialOf(azure.Factory,
            await store.ReadCredentialsAsync(provider.Name, cancellationToken));
        bool ownIdentity = ReferenceEquals(credential, azure.Factory.Credential);
        VaultsClient vaults = azure.Factory.GetVaultsClient(ownIdentity ? null : azure.Factory.CreateArmClient(credential));
        // EdgeKv's identity holds its roles on the fleet's group only (infra/main.bicep), and a list at the
        // subscription is authorized at the subscription: it reads the vault by name in its group (one vault, not the
        // group's whole list once per vault a flow touches). A provider's own principal may see the subscription: it
        // lists it.
        string? scope = ownIdentity ? azure.ResourceGroup : null;
        VaultProperties vault = await AzureFailures.RefuseNonTransientAsync(() => scope is null
                ? FindInSubscriptionAsync(vaults, provider.KeyCollection, cancellationToken)
                : GetInGroupAsync(vaults, scope, provider.KeyCollection, cancellationToken))
            ?? throw new ActivationRefusedException("VaultNotFound", $"No key vault named '{provider.KeyCollection}' (key collection of KMS provider '{provider.Name}') is visible in {(scope is null ? "the subscription" : $"resource group '{scope}'")}.");
        Uri uri = vault.VaultUri ?? throw new ActivationRefusedException("VaultNotFound",
            $"Key vault '{vault.Name}' has no vault URI yet.");
        return new KmsVault(vault, azure.Factory.CreateKeysClient(uri, credential));
    }

    private static async Task<VaultProperties?> FindInSubscriptionAsync(VaultsClient vaults, string name,
        CancellationToken cancellationToken) =>
        (await vaults.ListAsync(null, cancellationToken)).FirstOrDefault(v => string.Equals(v.Name, name,
            StringComparison.OrdinalIgnoreCase));

    private static async Task<VaultProperties?> GetInGroupAsync(VaultsClient vaults, string resourceGroup, string name,
        CancellationToken cancellationToken)
    {
        try
        {
            return await vaults.GetAsync(resourceGroup, name, cancellationToken);
        }
        catch (global::Azure.RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <summary>
    /// The Azure key version holding EdgeKv's <paramref name="version"/> (by its tag), or null when there is none or no
    /// key at all.
    /// </summary>
    public async Task<KeyProperties?> FindVersionAsync(string keyName, int version, CancellationToken cancellationToken)
    {
        string tag = version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return (await ListVersionsAsync(keyName,
            cancellationToken)).FirstOrDefault(p => p.Tags.TryGetValue(EdgeKvVersionTag, out string? v) && v == tag);
    }

    /// <summary>Every version of the Azure key; empty when the key does not exist (or is deleted).</summary>
    public async Task<IReadOnlyList<KeyProperties>> ListVersionsAsync(string keyName,
        CancellationToken cancellationToken)
    {
        try
        {
            return await Keys.GetPropertiesOfKeyVersionsAsync(keyName, cancellationToken);
        }
        catch (global::Azure.RequestFailedException ex) when (ex.Status == 404)
        {
            return [];
        }
    }

    /// <summary>EdgeKv's version number a tagged Azure version holds, or null.</summary>
    public static int? EdgeKvVersionOf(KeyProperties properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        return properties.Tags.TryGetValue(EdgeKvVersionTag, out string? v) && int.TryParse(v,
            System.Globalization.CultureInfo.InvariantCulture, out int n) ? n : null;
    }

    private static TokenCredential CredentialOf(EdgeKvAzureClientFactory factory, KmsCredentials? own)
    {
        // The environment's principal is a real-Azure setting: against the emulator only a provider's own credentials
        // apply.
        (string? id, string? secret, string? tenant) = own is not null
            ? (own.ClientId, own.ClientSecret, own.TenantId)
            : factory.Options.Mode == AzureMode.Emulator ? (null, null, null)
            : (Environment.GetEnvironmentVariable("AZURE_CLIENT_ID"),
                Environment.GetEnvironmentVariable("AZURE_CLIENT_SECRET"),
                Environment.GetEnvironmentVariable("AZURE_TENANT_ID"));
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(secret) || string.IsNullOrEmpty(tenant)) return factory.Credential;
        return factory.Options.Mode == AzureMode.Emulator
            ? factory.CreateEmulatorCredential(id, secret)
            : new ClientSecretCredential(tenant, id, secret,
                new ClientSecretCredentialOptions { AuthorityHost = factory.Cloud.AuthorityHost,
                    Transport = factory.Transport });
    }
}
