using global::Azure;
using global::Azure.Core;
using global::Azure.ResourceManager;
using global::Azure.ResourceManager.Resources;
using global::Azure.ResourceManager.Resources.Models;

namespace EdgeKv.Azure.Locks;

/// <summary>
/// Management locks at any scope (subscription, resource group, resource) over the SDK's <see
/// cref="ManagementLockCollection"/>.
/// </summary>
public sealed class ManagementLocksClient(ArmClient client)
{
    public async Task<ResourceLock> CreateOrUpdateAsync(string scope, string name, string level, string? notes = null,
        CancellationToken cancellationToken = default)
    {
        var data = new ManagementLockData(new ManagementLockLevel(level)) { Notes = notes };
        var operation = await Locks(scope).CreateOrUpdateAsync(WaitUntil.Completed, name, data, cancellationToken);
        return Map(operation.Value.Data);
    }

    public async Task<ResourceLock> GetAsync(string scope, string name,
        CancellationToken cancellationToken = default) =>
        Map((await Locks(scope).GetAsync(name, cancellationToken)).Value.Data);

    public async Task<IReadOnlyList<ResourceLock>> ListAsync(string scope,
        CancellationToken cancellationToken = default)
    {
        var result = new List<ResourceLock>();
        await foreach (var item in Locks(scope).GetAllAsync(cancellationToken: cancellationToken))
        {
            result.Add(Map(item.Data));
        }

        return result;
    }

    public async Task DeleteAsync(string scope, string name, CancellationToken cancellationToken = default)
    {
        var lockId = new ResourceIdentifier($"{scope.TrimEnd('/')}/providers/Microsoft.Authorization/locks/{name}");
        await client.GetManagementLockResource(lockId).DeleteAsync(WaitUntil.Completed, cancellationToken);
    }

    private ManagementLockCollection Locks(string scope)
    {
        var id = new ResourceIdentifier(scope);
        if (id.ResourceType == ResourceGroupResource.ResourceType)
        {
            return client.GetResourceGroupResource(id).GetManagementLocks();
        }

        return id.ResourceType == SubscriptionResource.ResourceType
            ? client.GetSubscriptionResource(id).GetManagementLocks()
            : client.GetGenericResource(id).GetManagementLocks();
    }

    private static ResourceLock Map(ManagementLockData data) => new(data.Id.ToString(), data.Name,
        data.Level.ToString(), data.Notes);
}
