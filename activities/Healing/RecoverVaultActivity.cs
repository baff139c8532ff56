using EdgeKv.Activities.Activation;
using EdgeKv.Azure.Vaults;
using EdgeKv.Tasks;
using Microsoft.DurableTask;
using EdgeKv.Records;
using Microsoft.Extensions.Logging;

namespace EdgeKv.Activities.Healing;

/// <summary>
/// Recovery, step 2 within retention: the soft-deleted vault recovered with the same name (createMode recover); a vault
/// already back is kept.
/// </summary>
[DurableTask(Name)]
public sealed class RecoverVaultActivity(AzureContextProvider azure, ResourceStore store,
    ILogger<RecoverVaultActivity> logger) : TaskActivity<ResourceStep, VaultRef>
{
    public const string Name = "RecoverSoftDeletedVault";

    public override async Task<VaultRef> RunAsync(TaskActivityContext context, ResourceStep input)
    {
        CancellationToken ct = context.CancellationToken;
        AzureContext az = await azure.GetAsync(ct);
        ResourceRecord record = await store.RequireAsync(input.ResourceName, ct);
        string name = record.RequireVault();
        VaultsClient vaults = az.Factory.GetVaultsClient(subscriptionId: record.SubscriptionId);
        VaultProperties vault = await VaultNames.TryGetAsync(vaults, record.ResourceGroup, name, ct)
            ?? await AzureFailures.RefuseNonTransientAsync(() => vaults.RecoverAsync(record.ResourceGroup, name,
                record.Location, ct));
        string uri = vault.VaultUri?.ToString() ?? throw new InvalidOperationException($"Vault '{name}' has no vaultUri yet.");
        await store.UpdateAsync(record.Name, r => r with { VaultId = vault.Id, VaultUri = uri }, ct);
        Logs.VaultRecovered(logger, name, record.Name);
        return new VaultRef(vault.Id, vault.Name, uri);
    }
}
