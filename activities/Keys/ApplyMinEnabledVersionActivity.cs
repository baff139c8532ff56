using EdgeKv.Tasks;
using EdgeKv.Azure.Keys;
using EdgeKv.Records.Keys;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace EdgeKv.Activities.Keys;

/// <summary>
/// In one provider's vault, every Azure version tagged with an EdgeKv version below the minimum is disabled (the vault
/// then refuses it for use), and every one at or above it is enabled. Idempotent; answers how many versions changed.
/// </summary>
[DurableTask(Name)]
public sealed class ApplyMinEnabledVersionActivity(AzureContextProvider azure, KeyStore store,
    ILogger<ApplyMinEnabledVersionActivity> logger)
    : TaskActivity<MinEnabledVersionStep, int>
{
    public const string Name = "ApplyMinEnabledVersion";

    public override async Task<int> RunAsync(TaskActivityContext context, MinEnabledVersionStep input)
    {
        ArgumentNullException.ThrowIfNull(input);
        CancellationToken ct = context.CancellationToken;
        KmsVault vault = await KmsVault.OpenAsync(await azure.GetAsync(ct), store, input.KmsName, ct);
        int changed = 0;
        foreach (KeyProperties version in await vault.ListVersionsAsync(input.KeyName, ct))
        {
            if (KmsVault.EdgeKvVersionOf(version) is not { } number) continue;
            bool enabled = number >= input.MinEnabledVersion;
            if (version.Enabled == enabled) continue;
            await AzureFailures.RefuseNonTransientAsync(() => vault.Keys.UpdateKeyPropertiesAsync(input.KeyName,
                version.Version, enabled, cancellationToken: ct));
            KeyLogs.VersionEnabledSet(logger, input.KeyName, version.Version!, number, vault.Vault.Name, enabled);
            changed++;
        }

        return changed;
    }
}
