using Azure;
using Azure.Security.KeyVault.Secrets;
using EdgeKv.Azure.Edge;
using EdgeKv.Azure.Vaults;
using EdgeKv.Tasks;
using Microsoft.DurableTask;
using EdgeKv.Records;
using EdgeKv.Records.Alerts;
using Microsoft.Extensions.Logging;

namespace EdgeKv.Activities.Health;

/// <summary>
/// Checks one page of vault-integrated resources and records the result as alerts (raise, update, resolve) in one
/// transaction, so the sweep's history holds counts, not findings of 10,000 resources. Per resource: vault present (or
/// soft-deleted, or gone), lock, identity present and enabled, identity's Get and Set, access policies EdgeKv did not grant, CIK secret, audit storage and
/// diagnostic setting. Devices, vaults, locks, deleted vaults and storage accounts are listed once per sweep (<see cref="FleetSnapshot"/>);
/// the rest runs with bounded concurrency. Resources from before vault integration, and resources whose activation,
/// recovery or deletion is still running, are skipped, not flagged.
/// </summary>
[DurableTask(Name)]
public sealed class CheckHealthPageActivity(AzureContextProvider azure, ResourceStore store, AlertStore alerts, FleetSnapshot fleet,
    TimeProvider time, ILogger<CheckHealthPageActivity> logger, AccessPolicyDriftCheck accessPolicies, RoleAssignmentDriftCheck roleAssignments,
    Secrets.SecretExpiryCheck expiry)
    : TaskActivity<SweepPage, SweepPageResult>
{
    public const string Name = "CheckHealthPage";

    /// <summary>Checks of one page in flight at once (Azure calls per resource: its diagnostic settings and its vault's secret list).</summary>
    public const int Concurrency = 32;

    public override async Task<SweepPageResult> RunAsync(TaskActivityContext context, SweepPage input)
    {
        CancellationToken ct = context.CancellationToken;
        long started = time.GetTimestamp();
        AzureContext az = await azure.GetAsync(ct);
        IReadOnlyList<ResourceRecord> page = await store.ListPageAsync(input.AfterName, input.Size, ct);
        // Only settled resources are judged: one still activating, being recovered or deleted is skipped, not flagged.
        DateTimeOffset now = time.GetUtcNow();
        var integrated = page.Where(r => r.IsSettled(now)).ToList();
        var observations = new List<AlertObservation>();
        await Parallel.ForEachAsync(integrated, new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = ct }, async (record, token) =>
        {
            IReadOnlyList<AlertObservation> found = await CheckAsync(az, input.SweepId, record, token);
            lock (observations) observations.AddRange(found);
        });

        IReadOnlyList<AlertChange> changes = await alerts.ApplySweepAsync([.. integrated.Select(r => r.Name)], observations, ct);
        int faulty = observations.Select(o => o.Resource).Distinct(StringComparer.OrdinalIgnoreCase).Count();
        SweepMetrics.PageChecked(integrated.Count - faulty, faulty, time.GetElapsedTime(started));
        Logs.HealthPageChecked(logger, input.AfterName ?? "(start)", integrated.Count, page.Count - integrated.Count, observations.Count);
        return new SweepPageResult(integrated.Count, page.Count - integrated.Count, observations.Count,
            [.. changes.Where(c => c.Change != AlertChangeKind.Updated)]);
    }

    private async Task<IReadOnlyList<AlertObservation>> CheckAsync(AzureContext az, string sweepId, ResourceRecord record, CancellationToken ct)
    {
        var found = new List<AlertObservation>();
        void Found(AlertKind kind, string finding) => found.Add(new AlertObservation(record.Name, kind, finding));
        VaultsClient vaults = az.Factory.GetVaultsClient(subscriptionId: record.SubscriptionId);

        IReadOnlyDictionary<string, EdgeDevice> devices = await fleet.DevicesAsync(sweepId, az.Factory.GetEdgeDevicesClient(subscriptionId: record.SubscriptionId), record.ResourceGroup, ct);
        EdgeDevice? device = devices.GetValueOrDefault(record.Name);
        if (device?.PrincipalId is null)
        {
            Found(AlertKind.IdentityDisabled, $"The system-assigned identity of '{record.Name}' is disabled or deleted.");
        }
        else if (record.PrincipalId is { } recorded && device.PrincipalId != recorded)
        {
            Found(AlertKind.IdentityMissing, $"The identity {recorded} recorded for '{record.Name}' no longer exists; the resource now has {device.PrincipalId}.");
        }

        IReadOnlyDictionary<string, VaultProperties> listed = await fleet.VaultsAsync(sweepId, vaults, record.ResourceGroup, ct);
        if (!listed.TryGetValue(record.VaultName!, out VaultProperties? vault))
        {
            IReadOnlyDictionary<string, DeletedVault> deleted = await fleet.DeletedVaultsAsync(sweepId, vaults, ct);
            Found(AlertKind.VaultDeleted, deleted.TryGetValue(record.VaultName!, out DeletedVault? soft)
                ? $"Vault '{record.VaultName}' was deleted on {soft.DeletionDate:u}; it is soft-deleted and recoverable until {soft.ScheduledPurgeDate:u}."
                : $"Vault '{record.VaultName}' is neither present nor soft-deleted: it was purged or cannot be reached. Recovery needs a new vault name.");
            return found;
        }

        if (record.RecoveryAwaitingDeviceRequestId is not null)
        {
            // The vault is back but not whole: its recovery waits for the device's secrets, and its alert stays until they are.
            Found(AlertKind.VaultDeleted, $"Vault '{vault.Name}' was recovered; the device has not pushed its secrets to it yet.");
        }

        if (record.PrincipalId is { } principal && !vault.EnableRbacAuthorization && !vault.AccessPolicies.Any(p => string.Equals(p.ObjectId, principal.ToString(), StringComparison.OrdinalIgnoreCase)
            && p.Secrets.Contains("get", StringComparer.OrdinalIgnoreCase) && p.Secrets.Contains("set", StringComparer.OrdinalIgnoreCase)))
        {
            Found(AlertKind.IdentityAccessMissing, $"The identity {principal} of '{record.Name}' has no Get and Set on the secrets of vault '{vault.Name}'.");
        }

        await CheckAccessPoliciesAsync(az, record, vault, found, ct);

        // A delete lock on the vault, or on its resource group (which protects everything in it), keeps the vault.
        IReadOnlySet<string> locked = await fleet.LockedScopesAsync(sweepId, az.Factory.GetManagementLocksClient(), record.SubscriptionId, record.ResourceGroup, ct);
        if (!locked.Contains(vault.Id) && !locked.Contains($"/subscriptions/{record.SubscriptionId}/resourceGroups/{record.ResourceGroup}"))
        {
            Found(AlertKind.VaultLockMissing, $"Vault '{vault.Name}' has no delete lock, and neither has its resource group.");
        }

        if (vault.VaultUri is not null)
        {
            IReadOnlyList<SecretProperties> secrets = await ListSecretsAsync(az, vault.VaultUri, ct);
            string cikName = record.CikSecretName ?? Activation.StoreChannelIntegrityKeyActivity.SecretName;
            if (!secrets.Any(s => string.Equals(s.Name, cikName, StringComparison.OrdinalIgnoreCase)))
            {
                Found(AlertKind.ChannelIntegrityKeyMissing, $"The channel integrity key secret is missing from vault '{vault.Name}'.");
            }

            found.AddRange(expiry.Check(record.Name, secrets));
        }

        var accounts = await fleet.StorageAccountIdsAsync(sweepId, az.Factory.GetStorageAccountsClient(subscriptionId: record.SubscriptionId), record.ResourceGroup, ct);
        if (record.AuditStorageAccountId is null || !accounts.Contains(record.AuditStorageAccountId))
        {
            Found(AlertKind.AuditStorageMissing, record.AuditStorageAccountId is null
                ? $"Vault '{vault.Name}' has no audit storage account."
                : $"The audit storage account '{record.AuditStorageAccountId}' of vault '{vault.Name}' is gone.");
        }

        var settings = await az.Factory.GetDiagnosticSettingsClient().ListAsync(vault.Id, ct);
        if (!settings.Any(s => s.StorageAccountId is not null))
        {
            Found(AlertKind.DiagnosticSettingMissing, $"Vault '{vault.Name}' has no diagnostic setting sending its audit events to storage.");
        }

        return found;
    }

    /// <summary>
    /// Access-policy drift, from the vault already listed: entries EdgeKv did not grant and the security team did not accept.
    /// A vault on Azure RBAC ignores its access policies: its role assignments are judged instead (<see cref="RoleAssignmentDriftCheck"/>).
    /// </summary>
    private async Task CheckAccessPoliciesAsync(AzureContext az, ResourceRecord record, VaultProperties vault, List<AlertObservation> found, CancellationToken ct)
    {
        if (vault.EnableRbacAuthorization)
        {
            found.AddRange(await roleAssignments.CheckAsync(az, record, vault, ct));
            return;
        }

        if (await accessPolicies.CheckAsync(az.ServiceObjectId, record, vault, ct) is { } drift) found.Add(drift);
    }

    /// <summary>List-based, so a sweep reads no secret value: the vault's secrets, each with its newest version's attributes.</summary>
    private static async Task<IReadOnlyList<SecretProperties>> ListSecretsAsync(AzureContext az, Uri vaultUri, CancellationToken ct)
    {
        SecretClient client = az.CreateServiceSecretClient(vaultUri);
        var secrets = new List<SecretProperties>();
        await foreach (SecretProperties secret in client.GetPropertiesOfSecretsAsync(ct)) secrets.Add(secret);
        return secrets;
    }
}
