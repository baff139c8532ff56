using EdgeKv.Tasks;
using Azure;
using EdgeKv.Records.Keys;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace EdgeKv.Activities.Keys;

/// <summary>
/// Removes a key from a provider: marked as being removed, deleted in the vault (soft-delete keeps it recoverable for
/// the vault's retention; a key already gone is fine), then forgotten. Idempotent.
/// </summary>
[DurableTask(Name)]
public sealed class RemoveKeyDistributionActivity(AzureContextProvider azure, KeyStore store,
    ILogger<RemoveKeyDistributionActivity> logger) : TaskActivity<DistributionStep, bool>
{
    public const string Name = "DeleteDistributedKey";

    public override async Task<bool> RunAsync(TaskActivityContext context, DistributionStep input)
    {
        ArgumentNullException.ThrowIfNull(input);
        CancellationToken ct = context.CancellationToken;
        if (await store.UpdateDistributionAsync(input.KmsName, input.KeyName,
            r => r with { State = DistributionState.Removing }, ct) is null) return false;
        KmsVault vault = await KmsVault.OpenAsync(await azure.GetAsync(ct), store, input.KmsName, ct);
        await AzureFailures.RefuseNonTransientAsync(async () =>
        {
            try
            {
                await vault.Keys.DeleteKeyAsync(input.KeyName, ct);
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                // Already gone (a retried removal, or deleted out of band).
            }

            return true;
        });
        KeyLogs.Removed(logger, input.KeyName, vault.Vault.Name);
        return await store.DeleteDistributionAsync(input.KmsName, input.KeyName, ct);
    }
}
