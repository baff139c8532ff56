using Azure;
using EdgeKv.Activities.Lifecycle;
using EdgeKv.Tasks;
using Microsoft.DurableTask;

namespace EdgeKv.Activities.Secrets;

/// <summary>
/// Removes EdgeKv's event subscription from a vault it no longer manages (the resource is deleted; the vault deleted
/// or kept). Already gone, or a vault already gone, counts as done. Answers whether one was removed.
/// </summary>
[DurableTask(Name)]
public sealed class UnsubscribeVaultEventsActivity(AzureContextProvider azure) : TaskActivity<ScopeRequest, bool>
{
    public const string Name = "UnsubscribeVaultEvents";

    public override async Task<bool> RunAsync(TaskActivityContext context, ScopeRequest input)
    {
        CancellationToken ct = context.CancellationToken;
        AzureContext az = await azure.GetAsync(ct);
        return await AzureFailures.RefuseNonTransientAsync(async () =>
        {
            try
            {
                var subscriptions = az.Factory.GetEventSubscriptionsClient();
                await subscriptions.GetAsync(input.ResourceId, VaultEventsSettings.SubscriptionName, ct);
                await subscriptions.DeleteAsync(input.ResourceId, VaultEventsSettings.SubscriptionName, ct);
                return true;
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                return false;
            }
        });
    }
}
