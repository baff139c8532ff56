using Azure;
using EdgeKv.Tasks;
using Microsoft.DurableTask;
using EdgeKv.Records;
using Microsoft.Extensions.Logging;

namespace EdgeKv.Activities.Activation;

/// <summary>
/// Step 1: Microsoft.KeyVault is registered on the subscription (registered here when EdgeKv's role allows it,
/// otherwise a refusal that says so); the resource has its system-assigned identity. Microsoft.Storage not registered
/// is noted, not blocking.
/// </summary>
[DurableTask(Name)]
public sealed class CheckPrerequisitesActivity(AzureContextProvider azure, ResourceStore store,
    ILogger<CheckPrerequisitesActivity> logger)
    : TaskActivity<ResourceStep, PrerequisitesResult>
{
    public const string Name = "CheckActivationPrerequisites";

    public override async Task<PrerequisitesResult> RunAsync(TaskActivityContext context, ResourceStep input)
    {
        CancellationToken ct = context.CancellationToken;
        AzureContext az = await azure.GetAsync(ct);
        ResourceRecord record = await store.RequireAsync(input.ResourceName, ct);
        var providers = az.Factory.GetResourceProvidersClient(subscriptionId: record.SubscriptionId);
        var keyVault = await AzureFailures.RefuseNonTransientAsync(() => providers.GetAsync("Microsoft.KeyVault", ct));
        if (!keyVault.IsRegistered)
        {
            try
            {
                await providers.RegisterAsync("Microsoft.KeyVault", ct);
                Logs.ProviderRegistered(logger, "Microsoft.KeyVault", record.Name);
            }
            catch (RequestFailedException ex) when (ex.Status == 403)
            {
                throw new ActivationRefusedException("KeyVaultProviderNotRegistered",
                    $"The Microsoft.KeyVault resource provider is not registered on subscription '{record.SubscriptionId}' and EdgeKv's role may not register it " +
                    "(it lacks Microsoft.KeyVault/register/action). Register the provider, or grant EdgeKv Contributor on the subscription, then retry.");
            }
        }

        var notes = new List<string>();
        var storage = await AzureFailures.RefuseNonTransientAsync(() => providers.GetAsync("Microsoft.Storage", ct));
        if (!storage.IsRegistered)
        {
            Logs.StorageProviderNotRegistered(logger, record.Name);
            notes.Add("The Microsoft.Storage resource provider is not registered: the audit storage account may not be created (not blocking).");
        }

        var device = await AzureFailures.RefuseNonTransientAsync(() => az.Factory.GetEdgeDevicesClient(subscriptionId: record.SubscriptionId).GetAsync(record.ResourceGroup, record.Name, ct));
        if (device.PrincipalId is null && record.PrincipalId is null)
        {
            throw new ActivationRefusedException("SystemAssignedIdentityMissing",
                $"Resource '{record.Name}' has no system-assigned identity; it is created with the resource and cannot be added later.");
        }

        return new PrerequisitesResult(storage.IsRegistered, notes);
    }
}
