using Azure;
using Azure.Security.KeyVault.Secrets;
using EdgeKv.Activities.Activation;
using EdgeKv.Tasks;
using Microsoft.DurableTask;
using EdgeKv.Records;
using Microsoft.Extensions.Logging;

namespace EdgeKv.Activities.Healing;

/// <summary>
/// Before the device pushes: a device secret (CIK, BitLocker recovery key, BMC password) that was deleted sits in the
/// vault's soft-delete and blocks a new value under its name (409), so EdgeKv recovers it first, as itself (the
/// identity has Get and Set only). Returns the names recovered. Nothing is read but names.
/// </summary>
[DurableTask(Name)]
public sealed class RecoverDeletedDeviceSecretsActivity(AzureContextProvider azure, ResourceStore store,
    ILogger<RecoverDeletedDeviceSecretsActivity> logger)
    : TaskActivity<ResourceStep, IReadOnlyList<string>>
{
    public const string Name = "RecoverDeletedDeviceSecrets";

    public static readonly IReadOnlyList<string> DeviceSecretNames = [StoreChannelIntegrityKeyActivity.SecretName,
        "BitLockerRecoveryKey", "BmcUserPassword"];

    public override async Task<IReadOnlyList<string>> RunAsync(TaskActivityContext context, ResourceStep input)
    {
        CancellationToken ct = context.CancellationToken;
        AzureContext az = await azure.GetAsync(ct);
        ResourceRecord record = await store.RequireAsync(input.ResourceName, ct);
        SecretClient secrets = az.CreateServiceSecretClient(new Uri(record.VaultUri ?? throw new ActivationRefusedException("VaultNotProvisioned", $"Resource '{record.Name}' has no vault.")));
        var recovered = new List<string>();
        foreach (string name in DeviceSecretNames)
        {
            try
            {
                await secrets.GetDeletedSecretAsync(name, ct);
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                continue;
            }

            RecoverDeletedSecretOperation operation = await secrets.StartRecoverDeletedSecretAsync(name, ct);
            await operation.WaitForCompletionAsync(TimeSpan.FromMilliseconds(250), ct);
            recovered.Add(name);
            Logs.DeletedSecretRecovered(logger, name, record.Name);
        }

        return recovered;
    }
}
