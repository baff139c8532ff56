using EdgeKv.Activities.Activation;
using EdgeKv.Tasks;
using Microsoft.DurableTask;
using EdgeKv.Records;

namespace EdgeKv.Activities.Healing;

/// <summary>Recovery, step 1: is the vault present, soft-deleted or gone?</summary>
[DurableTask(Name)]
public sealed class InspectVaultActivity(AzureContextProvider azure,
    ResourceStore store) : TaskActivity<ResourceStep, VaultCondition>
{
    public const string Name = "InspectVault";

    public override async Task<VaultCondition> RunAsync(TaskActivityContext context, ResourceStep input)
    {
        AzureContext az = await azure.GetAsync(context.CancellationToken);
        ResourceRecord record = await store.RequireAsync(input.ResourceName, context.CancellationToken);
        return await AzureFailures.RefuseNonTransientAsync(() => VaultCondition.InspectAsync(az.Factory.GetVaultsClient(subscriptionId: record.SubscriptionId), record, context.CancellationToken));
    }
}
