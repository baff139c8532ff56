using System.Security.Cryptography;
using Azure;
using Azure.Security.KeyVault.Secrets;
using EdgeKv.Azure.Edge;
using EdgeKv.Tasks;
using Microsoft.DurableTask;
using EdgeKv.Records;
using EdgeKv.Activities.Secrets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeKv.Activities.Activation;

/// <summary>
/// Step 6: the Channel Integrity Key, 256 bits from the cryptographic RNG, stored as a secret in the vault (by EdgeKv);
/// its name and version, never its value, are recorded in EdgeKv and on the resource's extended information. A re-run
/// finds the stored key and keeps it, so the device and the vault never disagree.
/// </summary>
[DurableTask(Name)]
public sealed class StoreChannelIntegrityKeyActivity(AzureContextProvider azure, ResourceStore store,
    IOptions<SecretLifecycleSettings> lifecycle, TimeProvider time,
    ILogger<StoreChannelIntegrityKeyActivity> logger)
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
        SecretProperties stored = await AzureFailures.RefuseNonTransientAsync(async () =>
        {
            try
            {
                return (await secrets.GetSecretAsync(SecretName, cancellationToken: ct)).Value.Properties;
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                return (await WriteNewAsync(secrets, time.GetUtcNow() + lifecycle.Value.ChannelIntegrityKeyLifetime,
                    null, ct)).Properties;
            }
        });

        string version = stored.Version;
        await store.UpdateAsync(record.Name,
            r => r with { CikSecretName = SecretName, CikSecretVersion = version,
                CikCreatedAt = stored.CreatedOn ?? r.CikCreatedAt,
            PendingCikSecretVersion = r.PendingCikSecretVersion == version ? null : r.PendingCikSecretVersion }, ct);
        await AzureFailures.RefuseNonTransientAsync(() => az.Factory.GetEdgeDevicesClient(subscriptionId: record.SubscriptionId).UpdateExtendedInformationAsync(record.ResourceGroup, record.Name,
            new EdgeDeviceExtendedInfo(record.VaultId, record.VaultUri, SecretName, version, "KeyVaultSyncPending"),
            ct));
        Logs.CikStored(logger, record.Name, SecretName, version);
        return new SecretRef(SecretName, version);
    }

    /// <summary>
    /// Writes a new CIK version: 256 bits from the cryptographic RNG, expiring at <paramref name="expiresOn"/>, tagged
    /// with the rotation that wrote it (so a re-run of that rotation finds it instead of writing another).
    /// </summary>
    internal static async Task<KeyVaultSecret> WriteNewAsync(SecretClient secrets, DateTimeOffset expiresOn,
        string? rotationId, CancellationToken ct)
    {
        byte[] key = RandomNumberGenerator.GetBytes(32);
        try
        {
            var secret = new KeyVaultSecret(SecretName,
                Convert.ToBase64String(key)) { Properties = { ContentType = "application/octet-stream;base64",
                    ExpiresOn = expiresOn } };
            if (rotationId is not null) secret.Properties.Tags[RotationTag] = rotationId;
            return (await secrets.SetSecretAsync(secret, ct)).Value;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>The tag naming the rotation that wrote a CIK version.</summary>
    public const string RotationTag = "edgekv-cik-rotation";
}
