using global::Azure;
using global::Azure.Core;
using global::Azure.ResourceManager;
using global::Azure.ResourceManager.Resources;

namespace EdgeKv.Azure.Resources;

/// <summary>Resource groups of the subscription.</summary>
public sealed class ResourceGroupsClient(ArmClient client, string subscriptionId)
{
    public async Task<string> CreateOrUpdateAsync(string name, string location,
        CancellationToken cancellationToken = default)
    {
        var operation = await Subscription.GetResourceGroups().CreateOrUpdateAsync(WaitUntil.Completed, name,
            new ResourceGroupData(new AzureLocation(location)), cancellationToken);
        return operation.Value.Id.ToString();
    }

    public async Task<bool> ExistsAsync(string name, CancellationToken cancellationToken = default) =>
        (await Subscription.GetResourceGroups().ExistsAsync(name, cancellationToken)).Value;

    public async Task DeleteAsync(string name, CancellationToken cancellationToken = default)
    {
        var group = await Subscription.GetResourceGroupAsync(name, cancellationToken);
        await group.Value.DeleteAsync(WaitUntil.Completed, cancellationToken: cancellationToken);
    }

    private SubscriptionResource Subscription => client.GetSubscriptionResource(SubscriptionResource.CreateResourceIdentifier(subscriptionId));
}
