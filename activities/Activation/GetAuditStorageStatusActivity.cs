using Azure;
using EdgeKv.Azure.Storage;
using EdgeKv.Tasks;
using Microsoft.DurableTask;
using EdgeKv.Records;

namespace EdgeKv.Activities.Activation;

/// <summary>
/// Step 7, poll: the audit storage account's provisioning state (one GET; the orchestrator waits between polls on a
/// durable timer).
/// </summary>
[DurableTask(Name)]
public sealed class GetAuditStorageStatusActivity(AzureContextProvider azure,
    ResourceStore store) : TaskActivity<ResourceStep, AuditStorageStatus>
{
    public const string Name = "GetAuditStorageStatus";

    public override async Task<AuditStorageStatus> RunAsync(TaskActivityContext context, ResourceStep input)
    {
        CancellationToken ct = context.CancellationToken;
        AzureContext az = await azure.GetAsync(ct);
        ResourceRecord record = await store.RequireAsync(input.ResourceName, ct);
        string name = AuditStorageNames.For(record.VaultId ?? throw new ActivationRefusedException("VaultNotProvisioned", $"Resource '{record.Name}' has no vault yet."));
        StorageAccount account = await TryGetAsync(az.Factory.GetStorageAccountsClient(subscriptionId: record.SubscriptionId), record.ResourceGroup, name, ct)
            ?? throw new ActivationRefusedException("AuditStorageMissing",
                $"The audit storage account '{name}' does not exist.");
        return new AuditStorageStatus(account.Id, name, StartAuditStorageActivity.IsDone(account),
            account.ProvisioningState);
    }

    internal static async Task<StorageAccount?> TryGetAsync(StorageAccountsClient accounts, string resourceGroup,
        string name, CancellationToken ct)
    {
        try
        {
            return await accounts.GetAsync(resourceGroup, name, ct);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
        catch (RequestFailedException ex) when (!AzureFailures.IsTransient(ex))
        {
            throw new ActivationRefusedException(ex.ErrorCode ?? $"Http{ex.Status}", ex.Message.Split('\n')[0].Trim());
        }
    }
}
