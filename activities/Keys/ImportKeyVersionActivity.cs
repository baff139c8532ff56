using EdgeKv.Tasks;
using Azure;
using EdgeKv.Azure.Keys;
using EdgeKv.Records.Keys;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace EdgeKv.Activities.Keys;

/// <summary>
/// One EdgeKv key version present in one provider's vault, as the key's current version. Idempotent by the version tag:
/// when an Azure version already carries this EdgeKv version (a retried or killed import), it is kept (its operations
/// and enabled state set to the distribution's) and no second Azure version is made. The material is read from the
/// store here and leaves only inside the import call. The key's latest version must end up current: when the vault's
/// current version is another (an older version imported after it by a distribution racing a rotation, or a version
/// added out of band), it is imported again, which makes it current.
/// </summary>
[DurableTask(Name)]
public sealed class ImportKeyVersionActivity(AzureContextProvider azure, KeyStore store,
    ILogger<ImportKeyVersionActivity> logger) : TaskActivity<KeyVersionStep, ImportedVersion>
{
    public const string Name = "ImportKeyVersion";

    public override async Task<ImportedVersion> RunAsync(TaskActivityContext context, KeyVersionStep input)
    {
        ArgumentNullException.ThrowIfNull(input);
        CancellationToken ct = context.CancellationToken;
        KeyRecord key = await store.GetKeyAsync(input.KeyName,
            ct) ?? throw new ActivationRefusedException("KeyNotFound", $"EdgeKv has no key named '{input.KeyName}'.");
        KeyDistributionRecord distribution = await store.GetDistributionAsync(input.KmsName, input.KeyName,
            ct) is { State: not DistributionState.Removing } d ? d
            : throw new ActivationRefusedException("KeyNotDistributed",
                $"Key '{input.KeyName}' is not distributed to '{input.KmsName}'.");
        if (input.Version < 1 || input.Version > key.LatestVersion) throw new ActivationRefusedException("KeyVersionNotFound", $"Key '{key.Name}' has no version {input.Version}.");
        KmsVault vault = await KmsVault.OpenAsync(await azure.GetAsync(ct), store, input.KmsName, ct);
        if (distribution.Protection == KeyProtections.Hsm && !vault.IsPremium) throw PrepareDistributionActivity.PremiumRequired(vault);

        bool enabled = input.Version >= key.MinEnabledVersion;
        string azureVersion;
        bool reused;
        KeyVaultKey? present = await PresentAsync(vault, key, input.Version, ct);
        if (present is not null)
        {
            reused = true;
            azureVersion = present.Properties.Version!;
            if (!present.KeyOperations.OrderBy(o => o,
                StringComparer.Ordinal).SequenceEqual(distribution.Purpose.OrderBy(o => o, StringComparer.Ordinal),
                    StringComparer.Ordinal)
                || present.Properties.Enabled != enabled)
            {
                await AzureFailures.RefuseNonTransientAsync(() => vault.Keys.UpdateKeyPropertiesAsync(key.Name,
                    azureVersion, enabled, distribution.Purpose, cancellationToken: ct));
            }

            KeyLogs.AlreadyImported(logger, key.Name, input.Version, vault.Vault.Name, azureVersion);
        }
        else
        {
            reused = false;
            azureVersion = await ImportAsync(vault, key, input.Version, distribution, ct);
            KeyLogs.Imported(logger, key.Name, input.Version, vault.Vault.Name, distribution.Protection, azureVersion);
        }

        await store.UpdateDistributionAsync(input.KmsName, input.KeyName, r => r with
        {
            AzureVersions = new Dictionary<int, string>(r.AzureVersions) { [input.Version] = azureVersion },
                VaultUri = vault.Keys.VaultUri.AbsoluteUri,
        }, ct);
        return new ImportedVersion(key.Name, input.KmsName, input.Version, azureVersion, reused);
    }

    /// <summary>
    /// The Azure version already holding this EdgeKv version as it should stand (the latest: only as the current one),
    /// or null.
    /// </summary>
    private async Task<KeyVaultKey?> PresentAsync(KmsVault vault, KeyRecord key, int version, CancellationToken ct)
    {
        if (version == key.LatestVersion) return await CurrentIfVersionAsync(vault, key.Name, version, ct);
        KeyProperties? listed = await vault.FindVersionAsync(key.Name, version, ct);
        return listed is null ? null : await AzureFailures.RefuseNonTransientAsync(() => vault.Keys.GetKeyAsync(key.Name, listed.Version, ct));
    }

    /// <summary>
    /// The vault's current version when it carries this EdgeKv version, else null. For the latest version only the
    /// current one counts: listed under another (an older one imported after it, or one added out of band), it is
    /// imported again, which makes it current. (Key Vault's creation times are in seconds, so the versions' list could
    /// not tell two copies of it apart; the current one can.)
    /// </summary>
    private async Task<KeyVaultKey?> CurrentIfVersionAsync(KmsVault vault, string name, int version,
        CancellationToken ct)
    {
        KeyVaultKey? current = await AzureFailures.RefuseNonTransientAsync<KeyVaultKey?>(async () =>
        {
            try
            {
                return await vault.Keys.GetKeyAsync(name, cancellationToken: ct);
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                return null; // not in this vault yet
            }
        });
        if (current is null) return null;
        int? tagged = KmsVault.EdgeKvVersionOf(current.Properties);
        if (tagged == version) return current;
        if (tagged is null) KeyLogs.ForeignCurrent(logger, name, vault.Vault.Name, version);
        return null;
    }

    private static async Task<bool> IsSoftDeletedAsync(KmsVault vault, string name, CancellationToken ct)
    {
        try
        {
            await vault.Keys.GetDeletedKeyAsync(name, ct);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return false;
        }
    }

    private async Task<string> ImportAsync(KmsVault vault, KeyRecord key, int version,
        KeyDistributionRecord distribution, CancellationToken ct)
    {
        byte[] material = await store.ReadMaterialAsync(key.Name, version,
            ct) ?? throw new ActivationRefusedException("KeyVersionNotFound",
                $"Key '{key.Name}' has no version {version}.");
        try
        {
            KeyVaultKey imported = await AzureFailures.RefuseNonTransientAsync(async () =>
            {
                try
                {
                    return await VaultKeyImport.ImportAsync(vault, key, version, material, distribution,
                        kek => KeyLogs.KeyExchangeKeyCreated(logger, kek, vault.Vault.Name), ct);
                }
                catch (RequestFailedException ex) when (ex.Status == 409)
                {
                    if (!await IsSoftDeletedAsync(vault, key.Name, ct)) throw;
                    // Removed earlier and still soft-deleted (Key Vault's ObjectIsDeletedButRecoverable): recover it
                    // (its tagged versions come back), then try again.
                    await vault.Keys.RecoverDeletedKeyAsync(key.Name, ct);
                    KeyLogs.DeletedKeyRecovered(logger, key.Name, vault.Vault.Name);
                    throw new InvalidOperationException($"Key '{key.Name}' was recovered from soft-delete in vault '{vault.Vault.Name}'; the import is retried.");
                }
            });
            return imported.Properties.Version!;
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(material);
        }
    }
}
