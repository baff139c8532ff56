using Azure;
using EdgeKv.Azure.Storage;
using EdgeKv.Tasks;
using Microsoft.DurableTask;
using EdgeKv.Records;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeKv.Activities.Activation;

/// <summary>
/// Step 7, start: a zone-redundant (Standard_ZRS) StorageV2 account for the vault's audit logs in the resource's group,
/// tagged with the vault name, with <see cref="AuditStorageSettings"/>' security properties. Only starts the
/// long-running creation (or finds it started or done); the orchestrator polls with durable timers, so a host restart
/// in the middle loses nothing and never creates a second account.
/// </summary>
[DurableTask(Name)]
public sealed class StartAuditStorageActivity(AzureContextProvider azure, ResourceStore store,
    IOptions<AuditStorageSettings> settings,
    ILogger<StartAuditStorageActivity> logger)
    : TaskActivity<ResourceStep, AuditStorageStatus>
{
    public const string Name = "StartAuditStorage";

    public override async Task<AuditStorageStatus> RunAsync(TaskActivityContext context, ResourceStep input)
    {
        CancellationToken ct = context.CancellationToken;
        AzureContext az = await azure.GetAsync(ct);
        ResourceRecord record = await store.RequireAsync(input.ResourceName, ct);
        string vaultId = record.VaultId ?? throw new ActivationRefusedException("VaultNotProvisioned",
            $"Resource '{record.Name}' has no vault yet.");
        string name = AuditStorageNames.For(vaultId);
        StorageAccountsClient accounts = az.Factory.GetStorageAccountsClient(subscriptionId: record.SubscriptionId);
        StorageAccount? account = await GetAuditStorageStatusActivity.TryGetAsync(accounts, record.ResourceGroup, name,
            ct);
        if (account is null)
        {
            var tags = new Dictionary<string, string> { [AuditStorageNames.VaultTag] = record.RequireVault(),
                [VaultNames.OwnerTag] = record.ResourceId };
            await AzureFailures.RefuseNonTransientAsync(() => accounts.StartCreateAsync(record.ResourceGroup, name,
                record.Location, "Standard_ZRS", tags, ct,
                settings.Value.Security));
            account = await GetAuditStorageStatusActivity.TryGetAsync(accounts, record.ResourceGroup, name, ct);
        }

        string id = StorageAccountsClient.AccountId(record.SubscriptionId, record.ResourceGroup, name).ToString();
        await store.UpdateAsync(record.Name, r => r with { AuditStorageAccountId = id }, ct);
        Logs.AuditStorage(logger, name, record.Name, account?.ProvisioningState ?? "Accepted");
        return new AuditStorageStatus(id, name, IsDone(account), account?.ProvisioningState);
    }

    internal static bool IsDone(StorageAccount? account) => string.Equals(account?.ProvisioningState, "Succeeded",
        StringComparison.OrdinalIgnoreCase);
}
