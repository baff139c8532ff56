using global::Azure;
using global::Azure.Core;
using global::Azure.ResourceManager;
using global::Azure.ResourceManager.Resources;
using global::Azure.ResourceManager.Storage;
using global::Azure.ResourceManager.Storage.Models;

namespace EdgeKv.Azure.Storage;

/// <summary>
/// Storage accounts over Azure.ResourceManager.Storage's typed resources (<see cref="StorageAccountResource"/>,
/// <see cref="BlobServiceResource"/>) at the package's own api-version. Account keys are never listed: blobs are read
/// with Entra tokens.
/// </summary>
public sealed class StorageAccountsClient
{
    private readonly ArmClient client;
    private readonly string subscriptionId;

    public StorageAccountsClient(ArmClient client, string subscriptionId)
    {
        ArgumentNullException.ThrowIfNull(client);
        this.client = client;
        this.subscriptionId = subscriptionId;
    }

    /// <summary>The subscription this client works in.</summary>
    public string SubscriptionId => subscriptionId;

    public static ResourceIdentifier AccountId(string subscriptionId, string resourceGroup, string name) =>
        StorageAccountResource.CreateResourceIdentifier(subscriptionId, resourceGroup, name);

    /// <summary>
    /// The account as a typed resource, for what hangs under it (locks, diagnostic settings, blob service).
    /// </summary>
    public StorageAccountResource GetResource(string resourceGroup, string name) =>
        client.GetStorageAccountResource(AccountId(subscriptionId, resourceGroup, name));

    /// <summary>
    /// Starts creating a StorageV2 account (long-running); await <see
    /// cref="StorageAccountCreation.WaitForCompletionAsync"/>. <paramref name="security"/> defaults to <see
    /// cref="StorageAccountSecurity.Hardened"/>.
    /// </summary>
    public async Task<StorageAccountCreation> StartCreateAsync(string resourceGroup, string name, string location,
        string skuName = "Standard_ZRS",
        IReadOnlyDictionary<string, string>? tags = null, CancellationToken cancellationToken = default,
        StorageAccountSecurity? security = null)
    {
        security ??= StorageAccountSecurity.Hardened;
        var content = new StorageAccountCreateOrUpdateContent(new StorageSku(new StorageSkuName(skuName)),
            StorageKind.StorageV2, new AzureLocation(location))
        {
            MinimumTlsVersion = new StorageMinimumTlsVersion(security.MinimumTlsVersion),
            EnableHttpsTrafficOnly = true,
            AllowBlobPublicAccess = security.AllowBlobPublicAccess,
            AllowSharedKeyAccess = security.AllowSharedKeyAccess,
        };
        foreach (var (key, value) in tags ?? new Dictionary<string, string>())
        {
            content.Tags[key] = value;
        }

        var operation = await ResourceGroup(resourceGroup).GetStorageAccounts().CreateOrUpdateAsync(WaitUntil.Started,
            name, content, cancellationToken);
        return new StorageAccountCreation(operation);
    }

    public async Task<StorageAccount> CreateAsync(string resourceGroup, string name, string location,
        string skuName = "Standard_ZRS",
        IReadOnlyDictionary<string, string>? tags = null, CancellationToken cancellationToken = default,
        StorageAccountSecurity? security = null) =>
        await (await StartCreateAsync(resourceGroup, name, location, skuName, tags, cancellationToken,
            security)).WaitForCompletionAsync(cancellationToken);

    public async Task<StorageAccount> GetAsync(string resourceGroup, string name,
        CancellationToken cancellationToken = default) =>
        Map((await GetResource(resourceGroup, name).GetAsync(cancellationToken: cancellationToken)).Value.Data);

    public async Task<IReadOnlyList<StorageAccount>> ListAsync(string? resourceGroup = null,
        CancellationToken cancellationToken = default)
    {
        var pages = resourceGroup is null
            ? client.GetSubscriptionResource(SubscriptionResource.CreateResourceIdentifier(subscriptionId)).GetStorageAccountsAsync(cancellationToken)
            : ResourceGroup(resourceGroup).GetStorageAccounts().GetAllAsync(cancellationToken);
        var accounts = new List<StorageAccount>();
        await foreach (var account in pages)
        {
            accounts.Add(Map(account.Data));
        }

        return accounts;
    }

    /// <summary>Replaces the account's tags (PATCH).</summary>
    public async Task<StorageAccount> SetTagsAsync(string resourceGroup, string name,
        IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken = default)
    {
        var patch = new StorageAccountPatch();
        foreach (var (key, value) in tags)
        {
            patch.Tags[key] = value;
        }

        return Map((await GetResource(resourceGroup, name).UpdateAsync(patch, cancellationToken)).Value.Data);
    }

    /// <summary>
    /// Sets the account's security properties (PATCH), for an account created before or without them.
    /// </summary>
    public async Task<StorageAccount> SetSecurityAsync(string resourceGroup, string name,
        StorageAccountSecurity security, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(security);
        var patch = new StorageAccountPatch
        {
            AllowSharedKeyAccess = security.AllowSharedKeyAccess,
            AllowBlobPublicAccess = security.AllowBlobPublicAccess,
            MinimumTlsVersion = new StorageMinimumTlsVersion(security.MinimumTlsVersion),
        };
        return Map((await GetResource(resourceGroup, name).UpdateAsync(patch, cancellationToken)).Value.Data);
    }

    public async Task DeleteAsync(string resourceGroup, string name, CancellationToken cancellationToken = default) =>
        await GetResource(resourceGroup, name).DeleteAsync(WaitUntil.Completed, cancellationToken);

    public async Task<NameAvailability> CheckNameAvailabilityAsync(string name,
        CancellationToken cancellationToken = default)
    {
        var result = (await client.GetSubscriptionResource(SubscriptionResource.CreateResourceIdentifier(subscriptionId))
            .CheckStorageAccountNameAvailabilityAsync(new StorageAccountNameAvailabilityContent(name),
                cancellationToken)).Value;
        return new NameAvailability(result.IsNameAvailable ?? false, result.Reason?.ToString(), result.Message);
    }

    /// <summary>The blob service's soft-delete settings (<c>blobServices/default</c>).</summary>
    public async Task<BlobDeleteRetention> GetBlobDeleteRetentionAsync(string resourceGroup, string name,
        CancellationToken cancellationToken = default) =>
        MapRetention((await GetResource(resourceGroup, name).GetBlobService().GetAsync(cancellationToken)).Value.Data);

    /// <summary>
    /// Keeps deleted blobs and containers for <paramref name="days"/> (1-365), so an audit log deleted by mistake can
    /// be undeleted; <c>null</c> turns both off.
    /// </summary>
    public async Task<BlobDeleteRetention> SetBlobDeleteRetentionAsync(string resourceGroup, string name, int? days,
        CancellationToken cancellationToken = default)
    {
        var data = new BlobServiceData
        {
            DeleteRetentionPolicy = new DeleteRetentionPolicy { IsEnabled = days is not null, Days = days },
            ContainerDeleteRetentionPolicy = new DeleteRetentionPolicy { IsEnabled = days is not null, Days = days },
        };
        var operation = await GetResource(resourceGroup, name).GetBlobService().CreateOrUpdateAsync(WaitUntil.Completed,
            data, cancellationToken);
        return MapRetention(operation.Value.Data);
    }

    /// <summary>
    /// Creates the blob container if it is missing (Azure Monitor would otherwise create it on its first write, too
    /// late for a policy set at activation) and gives it a time-based retention policy of <paramref name="days"/>,
    /// unlocked, with protected append writes so Azure Monitor can go on appending to its hourly append blobs.
    /// </summary>
    public async Task<ContainerImmutability> SetContainerImmutabilityAsync(string resourceGroup, string name,
        string container, int days,
        CancellationToken cancellationToken = default)
    {
        BlobContainerCollection containers = GetResource(resourceGroup, name).GetBlobService().GetBlobContainers();
        BlobContainerResource target = await containers.ExistsAsync(container, cancellationToken)
            ? (await containers.GetAsync(container, cancellationToken)).Value
            : (await containers.CreateOrUpdateAsync(WaitUntil.Completed, container, new BlobContainerData(),
                cancellationToken)).Value;
        var data = new ImmutabilityPolicyData { ImmutabilityPeriodSinceCreationInDays = days,
            AllowProtectedAppendWrites = true };
        var policy = await target.GetImmutabilityPolicy().CreateOrUpdateAsync(WaitUntil.Completed, data,
            cancellationToken: cancellationToken);
        return MapImmutability(policy.Value.Data);
    }

    /// <summary>
    /// The container's time-based retention policy; null when the container or the policy does not exist.
    /// </summary>
    public async Task<ContainerImmutability?> GetContainerImmutabilityAsync(string resourceGroup, string name,
        string container, CancellationToken cancellationToken = default)
    {
        BlobContainerCollection containers = GetResource(resourceGroup, name).GetBlobService().GetBlobContainers();
        if (!await containers.ExistsAsync(container, cancellationToken))
        {
            return null;
        }

        BlobContainerResource target = (await containers.GetAsync(container, cancellationToken)).Value;
        try
        {
            var policy = (await target.GetImmutabilityPolicy().GetAsync(cancellationToken: cancellationToken)).Value.Data;
            return policy.State is null && policy.ImmutabilityPeriodSinceCreationInDays is null ? null : MapImmutability(policy);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    internal static StorageAccount Map(StorageAccountData data) =>
        new(data.Id.ToString(), data.Name, data.Location.Name, data.Sku?.Name.ToString() ?? string.Empty,
            data.Kind?.ToString() ?? string.Empty,
            data.ProvisioningState?.ToString(), data.Tags.ToDictionary(t => t.Key, t => t.Value))
        {
            // Azure leaves allowSharedKeyAccess out until it is set, and null means allowed.
            AllowSharedKeyAccess = data.AllowSharedKeyAccess ?? true,
            AllowBlobPublicAccess = data.AllowBlobPublicAccess ?? false,
            MinimumTlsVersion = data.MinimumTlsVersion?.ToString(),
        };

    private static ContainerImmutability MapImmutability(ImmutabilityPolicyData data) =>
        new(data.ImmutabilityPeriodSinceCreationInDays ?? 0, data.State?.ToString() ?? string.Empty,
            data.AllowProtectedAppendWrites ?? false);

    private static BlobDeleteRetention MapRetention(BlobServiceData data) =>
        new(data.DeleteRetentionPolicy?.IsEnabled == true ? data.DeleteRetentionPolicy.Days : null,
            data.ContainerDeleteRetentionPolicy?.IsEnabled == true ? data.ContainerDeleteRetentionPolicy.Days : null);

    private ResourceGroupResource ResourceGroup(string name) =>
        client.GetResourceGroupResource(ResourceGroupResource.CreateResourceIdentifier(subscriptionId, name));
}
