using System.Security.Cryptography;
using Azure;
using Azure.Security.KeyVault.Secrets;
using EdgeKv.Azure.Edge;
using EdgeKv.Tasks;
using Microsoft.DurableTask;
using EdgeKv.Records;
using Microsoft.Extensions.Logging;

namespace EdgeKv.Activities.Activation;

/// <summary>
/// Step 6: the Channel Integrity Key, 256 bits from the cryptographic RNG, stored as a secret in the vault (by EdgeKv);
/// its name and version, never its value, are recorded in EdgeKv and on the resource's extended information. A re-run
/// finds the stored key and keeps it, so the device and the vault never disagree.
/// </summary>
[DurableTask(Name)]
public sealed class StoreChannelIntegrityKeyActivity(AzureContextProvider azure, ResourceStore store, ILogger<StoreChannelIntegrityKeyActivity> logger)
    : TaskActivity<ResourceStep, SecretRef>
{
    public const string Name = "StoreChannelIntegrityKey";
    public const string SecretName = "ChannelIntegrityKey";

    public override async Task<SecretRef> RunAsync(TaskActivityContext context, ResourceStep input)
    {
        CancellationToken ct = context.CancellationToken;
        AzureContext az = await azure.GetAsync(ct);
        ResourceRecord record = await store.RequireAsync(input.ResourceName, ct);
        SecretClient secrets = az.CreateServiceSecretClient(new Uri(record.VaultUri ?? throw new ActivationRefusedException("VaultNotProvisioned", $"Resource '{record.Name}' has no vault yet.")));
        string version = await AzureFailures.RefuseNonTransientAsync(async () =>
        {
            try
            {
                return (await secrets.GetSecretAsync(SecretName, cancellationToken: ct)).Value.Properties.Version;
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                byte[] key = RandomNumberGenerator.GetBytes(32);
                try
                {
                    var secret = new KeyVaultSecret(SecretName, Convert.ToBase64String(key)) { Properties = { ContentType = "application/octet-stream;base64" } };
                    return (await secrets.SetSecretAsync(secret, ct)).Value.Properties.Version;
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(key);
                }
            }
        });

        await store.UpdateAsync(record.Name, r => r with { CikSecretName = SecretName, CikSecretVersion = version }, ct);
        await AzureFailures.RefuseNonTransientAsync(() => az.Factory.GetEdgeDevicesClient(subscriptionId: record.SubscriptionId).UpdateExtendedInformationAsync(record.ResourceGroup, record.Name,
            new EdgeDeviceExtendedInfo(record.VaultId, record.VaultUri, SecretName, version, "KeyVaultSyncPending"), ct));
        Logs.CikStored(logger, record.Name, SecretName, version);
        return new SecretRef(SecretName, version);
    }
}
