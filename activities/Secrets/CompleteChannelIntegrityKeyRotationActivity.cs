using EdgeKv.Activities.Activation;
using EdgeKv.Azure.Edge;
using EdgeKv.Tasks;
using EdgeKv.Records;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace EdgeKv.Activities.Secrets;

/// <summary>
/// A rotation's last step. When the device took the new version (its sync answer made it the record's), or no device is
/// activated to take it (<see cref="CikRotationStep.Version"/> is adopted at once: the next activation hands it out),
/// the record and the resource's extended information name it and the pending mark is cleared. When the device answered
/// with another key, or not at all, the mark is cleared only in the first case (the vault's newest version is then the
/// device's), so a later rotation offers a version the device can still take. Idempotent.
/// </summary>
[DurableTask(Name)]
public sealed class CompleteChannelIntegrityKeyRotationActivity(AzureContextProvider azure, ResourceStore store,
    TimeProvider time,
    ILogger<CompleteChannelIntegrityKeyRotationActivity> logger) : TaskActivity<CikRotationCompletion, CikRotationCompleted>
{
    public const string Name = "CompleteChannelIntegrityKeyRotation";

    public override async Task<CikRotationCompleted> RunAsync(TaskActivityContext context, CikRotationCompletion input)
    {
        CancellationToken ct = context.CancellationToken;
        string version = input.Step.Version ?? throw new ArgumentException("The rotation's version is missing.",
            nameof(input));
        DateTimeOffset now = time.GetUtcNow();
        ResourceRecord? updated = await store.UpdateAsync(input.Step.ResourceName, r =>
        {
            if (input.Adopt && r.PendingCikSecretVersion == version) return r with { CikSecretVersion = version,
                CikCreatedAt = now, PendingCikSecretVersion = null };
            if (r.CikSecretVersion == version) return r.PendingCikSecretVersion is null ? r : r with { PendingCikSecretVersion = null };
            return input.DeviceAnswered && r.PendingCikSecretVersion == version ? r with { PendingCikSecretVersion = null } : r;
        }, ct);
        if (updated is null) throw new ActivationRefusedException("ResourceNotFound",
            $"Resource '{input.Step.ResourceName}' is no longer managed by EdgeKv.");
        bool rotated = updated.CikSecretVersion == version;
        if (rotated)
        {
            AzureContext az = await azure.GetAsync(ct);
            await AzureFailures.RefuseNonTransientAsync(() => az.Factory.GetEdgeDevicesClient(subscriptionId: updated.SubscriptionId).UpdateExtendedInformationAsync(updated.ResourceGroup, updated.Name,
                new EdgeDeviceExtendedInfo(updated.VaultId, updated.VaultUri,
                    updated.CikSecretName ?? StoreChannelIntegrityKeyActivity.SecretName, version, "KeyVaultSynced"),
                    ct));
            Logs.CikStored(logger, updated.Name, updated.CikSecretName ?? StoreChannelIntegrityKeyActivity.SecretName,
                version);
        }

        return new CikRotationCompleted(updated.CikSecretVersion, rotated);
    }
}

/// <summary>
/// Input of the last step: the rotation's step with its version, whether to adopt it without a device, and whether the
/// device answered.
/// </summary>
public sealed record CikRotationCompletion(CikRotationStep Step, bool Adopt, bool DeviceAnswered);
