using Azure.Security.KeyVault.Secrets;
using EdgeKv.Activities.Activation;
using EdgeKv.Tasks;
using EdgeKv.Records;
using Microsoft.DurableTask;
using Microsoft.Extensions.Options;

namespace EdgeKv.Activities.Secrets;

/// <summary>
/// A rotation's first step: a new CIK version in the resource's vault, recorded as pending (the device and EdgeKv keep
/// the current one until the device takes it). Idempotent: a version this rotation already wrote (its tag) is found
/// and kept, and a version still pending from an earlier rotation the device never took is offered again instead of
/// writing another.
/// </summary>
[DurableTask(Name)]
public sealed class CreateChannelIntegrityKeyVersionActivity(AzureContextProvider azure, ResourceStore store,
    IOptions<SecretLifecycleSettings> lifecycle, TimeProvider time)
    : TaskActivity<CikRotationStep, CikVersionWritten>
{
    public const string Name = "CreateChannelIntegrityKeyVersion";

    public override async Task<CikVersionWritten> RunAsync(TaskActivityContext context, CikRotationStep input)
    {
        CancellationToken ct = context.CancellationToken;
        ResourceRecord record = await store.RequireAsync(input.ResourceName, ct);
        if (record.VaultUri is null) throw new ActivationRefusedException("VaultNotProvisioned",
            $"Resource '{record.Name}' has no vault yet.");
        bool activated = record.DeviceState == DeviceState.Activated;
        if (record.PendingCikSecretVersion is { } pending) return new CikVersionWritten(pending, activated);

        SecretClient secrets = (await azure.GetAsync(ct)).CreateServiceSecretClient(new Uri(record.VaultUri));
        string name = record.CikSecretName ?? StoreChannelIntegrityKeyActivity.SecretName;
        string? version = await AzureFailures.RefuseNonTransientAsync(async () =>
        {
            await foreach (SecretProperties existing in secrets.GetPropertiesOfSecretVersionsAsync(name, ct))
            {
                if (existing.Tags.TryGetValue(StoreChannelIntegrityKeyActivity.RotationTag,
                    out string? id) && id == input.RotationId) return existing.Version;
            }

            return null;
        });
        version ??= (await AzureFailures.RefuseNonTransientAsync(() =>
            StoreChannelIntegrityKeyActivity.WriteNewAsync(secrets,
                time.GetUtcNow() + lifecycle.Value.ChannelIntegrityKeyLifetime, input.RotationId,
                ct))).Properties.Version;
        await store.UpdateAsync(record.Name, r => r with { PendingCikSecretVersion = version }, ct);
        return new CikVersionWritten(version, activated);
    }
}
