using Azure;
using Azure.Core;
using EdgeKv.Tasks;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace EdgeKv.Activities.Lifecycle;

/// <summary>
/// Deletes one Azure resource by id (the vault: it goes into soft-delete; the audit storage account; the Azure Stack
/// Edge resource). Already gone counts as done.
/// </summary>
[DurableTask(Name)]
public sealed class DeleteAzureResourceActivity(AzureContextProvider azure,
    ILogger<DeleteAzureResourceActivity> logger) : TaskActivity<ScopeRequest, bool>
{
    public const string Name = "DeleteAzureResource";

    public override async Task<bool> RunAsync(TaskActivityContext context, ScopeRequest input)
    {
        CancellationToken ct = context.CancellationToken;
        AzureContext az = await azure.GetAsync(ct);
        var id = new ResourceIdentifier(input.ResourceId);
        bool deleted = await AzureFailures.RefuseNonTransientAsync(async () =>
        {
            try
            {
                switch (id.ResourceType.ToString().ToLowerInvariant())
                {
                    case "microsoft.keyvault/vaults": await az.Factory.GetVaultsClient(subscriptionId: id.SubscriptionId).DeleteAsync(id.ResourceGroupName!, id.Name, ct); break;
                    case "microsoft.storage/storageaccounts": await az.Factory.GetStorageAccountsClient(subscriptionId: id.SubscriptionId).DeleteAsync(id.ResourceGroupName!, id.Name, ct); break;
                    case "microsoft.databoxedge/databoxedgedevices": await az.Factory.GetEdgeDevicesClient(subscriptionId: id.SubscriptionId).DeleteAsync(id.ResourceGroupName!, id.Name, ct); break;
                    default: throw new InvalidOperationException($"EdgeKv does not delete resources of type {id.ResourceType}.");
                }

                return true;
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                return false;
            }
        });
        if (!deleted) return false;

        Logs.ResourceDeleted(logger, input.ResourceId);
        return true;
    }
}
