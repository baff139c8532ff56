using Azure.ResourceManager;
using EdgeKv.Azure;
using EdgeKv.Azure.Edge;
using EdgeKv.Azure.Vaults;
using EdgeKv.Tasks;
using Microsoft.DurableTask;
using EdgeKv.Records;
using EdgeKv.Records.Alerts;
using EdgeKv.Records.Sweeps;
using Microsoft.Extensions.Logging;

namespace EdgeKv.Activities.Health;

/// <summary>
/// Checks one page of vault-integrated resources and records the result as alerts (raise, update, resolve) in one
/// transaction, so the sweep's history holds counts, not findings of 10,000 resources. Per resource, from the fleet
/// lists of its subscription (<see cref="FleetSnapshot"/>) in every sweep: vault present (or soft-deleted, or gone),
/// lock, identity present and enabled, identity's Get and Set, access policies EdgeKv did not grant (and every other
/// <see cref="IVaultHealthCheck"/> that judges the listed vault), audit storage. Per resource, with reads of their own,
/// only when due (<see cref="SweepCheckState"/>, kept in <see cref="SweepCheckStore"/>): the diagnostic setting, the
/// CIK secret and any other per-vault check, on their <see cref="SweepCheckSchedule"/>, at once when the listed vault
/// changed since the last sweep or an event marked the resource, and in every sweep while they find a fault (so a check
/// skipped as not due last found nothing, and resolving its kind's alert stays right). Resources from before vault
/// integration, and resources whose activation, recovery or deletion is still running, are skipped, not flagged.
/// </summary>
[DurableTask(Name)]
public sealed class CheckHealthPageActivity(AzureContextProvider azure, ResourceStore store, AlertStore alerts,
    FleetSnapshot fleet,
    TimeProvider time, ILogger<CheckHealthPageActivity> logger, IEnumerable<IVaultHealthCheck> checks,
    SweepCheckStore memory, SweepCheckSchedule schedule)
    : TaskActivity<SweepPage, SweepPageResult>
{
    public const string Name = "CheckHealthPage";

    /// <summary>
    /// Checks of one page in flight at once (when due, a resource's reads: its diagnostic settings and its vault's
    /// secret list).
    /// </summary>
    public const int Concurrency = 32;

    private readonly IReadOnlyList<IVaultHealthCheck> vaultChecks = [.. checks];

    public override async Task<SweepPageResult> RunAsync(TaskActivityContext context, SweepPage input)
    {
        ArgumentNullException.ThrowIfNull(input);
        CancellationToken ct = context.CancellationToken;
        long started = time.GetTimestamp();
        AzureCallCount calls = AzureCallCount.Begin();
        AzureContext az = await azure.GetAsync(ct);
        IReadOnlyList<ResourceRecord> page = await store.ListPageAsync(input.AfterName, input.Size, ct);
        // Only settled resources are judged: one still activating, being recovered or deleted is skipped, not flagged.
        DateTimeOffset now = time.GetUtcNow();
        var integrated = page.Where(r => r.IsSettled(now)).ToList();
        IReadOnlyDictionary<string, SweepCheckState> remembered = await memory.GetAsync([.. integrated.Select(r => r.Name)], ct);
        var observations = new List<AlertObservation>();
        var changed = new List<SweepCheckState>();
        int readsDue = 0;
        await Parallel.ForEachAsync(integrated,
            new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = ct },
            async (record, token) =>
        {
            ResourceCheck result = await CheckAsync(az, input.SweepId, record,
                remembered.GetValueOrDefault(record.Name), token);
            lock (observations)
            {
                observations.AddRange(result.Found);
                if (result.State is { } state) changed.Add(state);
                if (result.ReadsRan) readsDue++;
            }
        });

        // Alerts first: a page retried after the memory was written would otherwise skip reads whose alert was never
        // raised.
        IReadOnlyList<AlertChange> changes = await alerts.ApplySweepAsync([.. integrated.Select(r => r.Name)],
            observations, ct);
        await memory.SaveAsync(changed, ct);
        int faulty = observations.Select(o => o.Resource).Distinct(StringComparer.OrdinalIgnoreCase).Count();
        SweepMetrics.PageChecked(integrated.Count - faulty, faulty, time.GetElapsedTime(started), calls.ArmReads,
            calls.DataPlaneReads);
        Logs.HealthPageChecked(logger, input.AfterName ?? "(start)", integrated.Count, page.Count - integrated.Count,
            observations.Count);
        return new SweepPageResult(integrated.Count, page.Count - integrated.Count, observations.Count,
            [.. changes.Where(c => c.Change != AlertChangeKind.Updated)], calls.ArmReads, calls.DataPlaneReads,
            readsDue);
    }

    private async Task<ResourceCheck> CheckAsync(AzureContext az, string sweepId, ResourceRecord record,
        SweepCheckState? state, CancellationToken ct)
    {
        var found = new List<AlertObservation>();
        void Found(AlertKind kind, string finding) => found.Add(new AlertObservation(record.Name, kind, finding));
        ArmClient arm = az.Factory.ArmClient;
        string subscription = ResourceRecord.SubscriptionOf(record.ResourceId) ?? az.SubscriptionId;

        EdgeDevice? device = await fleet.FindDeviceAsync(sweepId, arm, subscription, record.ResourceGroup, record.Name,
            ct);
        if (device?.PrincipalId is null)
        {
            Found(AlertKind.IdentityDisabled,
                $"The system-assigned identity of '{record.Name}' is disabled or deleted.");
        }
        else if (record.PrincipalId is { } recorded && device.PrincipalId != recorded)
        {
            Found(AlertKind.IdentityMissing,
                $"The identity {recorded} recorded for '{record.Name}' no longer exists; the resource now has {device.PrincipalId}.");
        }

        if (await fleet.FindVaultAsync(sweepId, arm, subscription, record.ResourceGroup, record.VaultName!,
            ct) is not { } vault)
        {
            IReadOnlyDictionary<string, DeletedVault> deleted = await fleet.DeletedVaultsAsync(sweepId, arm,
                subscription, ct);
            Found(AlertKind.VaultDeleted, deleted.TryGetValue(record.VaultName!, out DeletedVault? soft)
                ? $"Vault '{record.VaultName}' was deleted on {soft.DeletionDate:u}; it is soft-deleted and recoverable until {soft.ScheduledPurgeDate:u}."
                : $"Vault '{record.VaultName}' is neither present nor soft-deleted: it was purged or cannot be reached. Recovery needs a new vault name.");
            // Forgotten, so that the vault read again (recovered, or a new one) is not taken for the one last seen.
            return new ResourceCheck(found,
                state is { VaultFingerprint: not null } ? state with { VaultFingerprint = null } : null, false);
        }

        if (record.RecoveryAwaitingDeviceRequestId is not null)
        {
            // The vault is back but not whole: its recovery waits for the device's secrets, and its alert stays until
            // they are.
            Found(AlertKind.VaultDeleted,
                $"Vault '{vault.Name}' was recovered; the device has not pushed its secrets to it yet.");
        }

        // On a vault using Azure RBAC the identity's access is its role assignment, judged by RoleAssignmentDriftCheck.
        if (record.PrincipalId is { } principal && !vault.EnableRbacAuthorization && !vault.AccessPolicies.Any(p => string.Equals(p.ObjectId, principal.ToString(), StringComparison.OrdinalIgnoreCase)
            && p.Secrets.Contains("get", StringComparer.OrdinalIgnoreCase) && p.Secrets.Contains("set",
                StringComparer.OrdinalIgnoreCase)))
        {
            Found(AlertKind.IdentityAccessMissing,
                $"The identity {principal} of '{record.Name}' has no Get and Set on the secrets of vault '{vault.Name}'.");
        }

        // A delete lock on the vault, or on its resource group (which protects everything in it), keeps the vault.
        if (!await fleet.IsLockedAsync(sweepId, arm, subscription, record.ResourceGroup, vault.Id, ct)
            && !await fleet.IsLockedAsync(sweepId, arm, subscription, record.ResourceGroup,
                $"/subscriptions/{subscription}/resourceGroups/{record.ResourceGroup}", ct))
        {
            Found(AlertKind.VaultLockMissing,
                $"Vault '{vault.Name}' has no delete lock, and neither has its resource group.");
        }

        if (record.AuditStorageAccountId is null || !await fleet.StorageAccountExistsAsync(sweepId, arm, subscription,
            record.ResourceGroup, record.AuditStorageAccountId, ct))
        {
            Found(AlertKind.AuditStorageMissing, record.AuditStorageAccountId is null
                ? $"Vault '{vault.Name}' has no audit storage account."
                : $"The audit storage account '{record.AuditStorageAccountId}' of vault '{vault.Name}' is gone.");
        }

        DateTimeOffset now = time.GetUtcNow();
        string fingerprint = VaultFingerprint.Of(vault);
        bool first = state?.ReadsCheckedAt is null;
        bool due = first || state!.ReadsFaulty || !string.Equals(state.VaultFingerprint, fingerprint,
            StringComparison.Ordinal)
            || state.ReadsDueAt is not { } dueAt || now >= dueAt || (state.DirtyAt is { } dirty && dirty >= state.ReadsCheckedAt);
        var checkContext = new VaultCheckContext(az, subscription, record, vault, due);
        int readFaults = 0;
        foreach (IVaultHealthCheck check in vaultChecks)
        {
            if (check.RunsWhenDue && !due) continue;
            IReadOnlyList<AlertObservation> findings = await check.CheckAsync(checkContext, ct);
            found.AddRange(findings);
            if (check.RunsWhenDue) readFaults += findings.Count;
        }

        return due
            ? new ResourceCheck(found,
                new SweepCheckState(record.Name, fingerprint, now, schedule.NextDue(record.Name, now, first),
                    readFaults > 0), true)
            : new ResourceCheck(found, null, false);
    }

    /// <summary>
    /// One resource's findings, its sweep state when it changed, and whether its per-vault reads ran.
    /// </summary>
    private sealed record ResourceCheck(IReadOnlyList<AlertObservation> Found, SweepCheckState? State, bool ReadsRan);
}
