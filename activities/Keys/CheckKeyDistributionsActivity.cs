using EdgeKv.Azure.Keys;
using EdgeKv.Tasks;
using EdgeKv.Records.Alerts;
using EdgeKv.Records.Keys;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace EdgeKv.Activities.Keys;

/// <summary>
/// The health sweep's key drift check: for every distributed key, its copy in the vault must exist, its current version
/// must be EdgeKv's latest and enabled, the versions EdgeKv enables must be enabled and its operations must stay within
/// the distribution's purpose. What is found out of band raises a <see cref="AlertKind.KeyDistributionDrift"/> alert
/// (resource <c>kms/{provider}/keys/{key}</c>, healed by <c>POST /api/kms/{provider}/keys/{key}/heal</c>); what is fine
/// again resolves it. A vault that cannot be reached is left as it was (its alerts kept) until the next sweep.
/// </summary>
[DurableTask(Name)]
public sealed class CheckKeyDistributionsActivity(AzureContextProvider azure, KeyStore store, AlertStore alerts,
    ILogger<CheckKeyDistributionsActivity> logger)
    : TaskActivity<int, IReadOnlyList<AlertChange>>
{
    public const string Name = "CheckKeyDistributions";
    private const int Page = 500;

    public static string AlertResource(string kmsName, string keyName) => $"kms/{kmsName}/keys/{keyName}";

    public override async Task<IReadOnlyList<AlertChange>> RunAsync(TaskActivityContext context, int input)
    {
        CancellationToken ct = context.CancellationToken;
        var checkedResources = new List<string>();
        var observations = new List<AlertObservation>();
        var vaults = new Dictionary<string, KmsVault?>(StringComparer.OrdinalIgnoreCase);
        (string? kms, string? key) after = (null, null);
        while (true)
        {
            IReadOnlyList<KeyDistributionRecord> page = await store.ListDistributionsAsync(after.kms, after.key, Page,
                ct);
            foreach (KeyDistributionRecord distribution in page.Where(d => d.State == DistributionState.Distributed))
            {
                if (!vaults.TryGetValue(distribution.KmsName, out KmsVault? vault))
                {
                    vault = await TryOpenAsync(distribution.KmsName, ct);
                    vaults[distribution.KmsName] = vault;
                }

                KeyRecord? key = await store.GetKeyAsync(distribution.KeyName, ct);
                if (vault is null || key is null) continue;
                string? finding;
                try
                {
                    finding = await DriftAsync(vault, key, distribution, ct);
                }
                catch (global::Azure.RequestFailedException ex) when (AzureFailures.IsTransient(ex))
                {
                    continue;
                }

                string resource = AlertResource(distribution.KmsName, distribution.KeyName);
                checkedResources.Add(resource);
                if (finding is not null)
                {
                    observations.Add(new AlertObservation(resource, AlertKind.KeyDistributionDrift, finding));
                    KeyLogs.DriftFound(logger, distribution.KeyName, vault.Vault.Name, finding);
                }
            }

            if (page.Count < Page) break;
            after = (page[^1].KmsName, page[^1].KeyName);
        }

        return checkedResources.Count == 0 ? [] : await alerts.ApplySweepAsync(checkedResources, observations, ct);
    }

    /// <summary>What is wrong with the vault's copy, in words, or null.</summary>
    private static async Task<string?> DriftAsync(KmsVault vault, KeyRecord key, KeyDistributionRecord distribution,
        CancellationToken ct)
    {
        IReadOnlyList<KeyProperties> versions = await vault.ListVersionsAsync(key.Name, ct);
        if (versions.Count == 0) return $"Key '{key.Name}' is missing from vault '{vault.Vault.Name}' (deleted out of band).";
        KeyVaultKey current;
        try
        {
            current = await vault.Keys.GetKeyAsync(key.Name, cancellationToken: ct);
        }
        catch (global::Azure.RequestFailedException ex) when (ex.Status is 403 or 404)
        {
            return $"Key '{key.Name}' in vault '{vault.Vault.Name}' cannot be read: {ex.ErrorCode}.";
        }

        if (KmsVault.EdgeKvVersionOf(current.Properties) != key.LatestVersion)
        {
            return $"The current version of '{key.Name}' in vault '{vault.Vault.Name}' is not EdgeKv's version {key.LatestVersion}.";
        }

        if (!current.Properties.Enabled) return $"The current version of '{key.Name}' in vault '{vault.Vault.Name}' is disabled.";
        foreach (KeyProperties version in versions)
        {
            if (KmsVault.EdgeKvVersionOf(version) is { } n && n >= key.MinEnabledVersion && !version.Enabled)
            {
                return $"Version {n} of '{key.Name}' in vault '{vault.Vault.Name}' is disabled.";
            }
        }

        string[] beyond = [.. current.KeyOperations.Where(o => !distribution.Purpose.Contains(o,
            StringComparer.OrdinalIgnoreCase))];
        return beyond.Length > 0
            ? $"Key '{key.Name}' in vault '{vault.Vault.Name}' was given operations beyond its purpose: {string.Join(", ", beyond)}."
            : null;
    }

    private async Task<KmsVault?> TryOpenAsync(string kmsName, CancellationToken ct)
    {
        try
        {
            return await KmsVault.OpenAsync(await azure.GetAsync(ct), store, kmsName, ct);
        }
        catch (Exception ex) when (ex is ActivationRefusedException or global::Azure.RequestFailedException)
        {
            KeyLogs.VaultUnchecked(logger, kmsName, ex.GetType().Name);
            return null;
        }
    }
}
