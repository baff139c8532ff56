using EdgeKv.Azure.Vaults;
using EdgeKv.Records;
using EdgeKv.Records.AccessPolicies;
using EdgeKv.Records.Alerts;

namespace EdgeKv.Activities.Health;

/// <summary>
/// Reviews a vault's access policies against what EdgeKv granted and what the security team accepted (read from <see
/// cref="AcceptedAccessPolicyStore"/>): the sweep's, the webhook's and the routes' one way to find access-policy drift.
/// In the sweep it is one of the <see cref="IVaultHealthCheck"/>s, judged from the listed vault alone in every sweep.
/// </summary>
public sealed class AccessPolicyDriftCheck(AcceptedAccessPolicyStore accepted) : IVaultHealthCheck
{
    bool IVaultHealthCheck.RunsWhenDue => false;

    async Task<IReadOnlyList<AlertObservation>> IVaultHealthCheck.CheckAsync(VaultCheckContext context,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        // A vault on Azure RBAC ignores its access policies: its role assignments are judged instead
        // (RoleAssignmentDriftCheck).
        if (context.Vault.EnableRbacAuthorization) return [];
        return await CheckAsync(context.Azure.ServiceObjectId, context.Record, context.Vault, cancellationToken);
    }

    public async Task<IReadOnlyList<AccessPolicyFinding>> ReviewAsync(Guid serviceObjectId, ResourceRecord record,
        VaultProperties vault, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(vault);
        IReadOnlyList<AcceptedAccessPolicy> acceptances = await accepted.ListAsync(record.Name, cancellationToken);
        return [.. vault.AccessPolicies.Select(p => AccessPolicyDrift.Review(p, serviceObjectId, record.PrincipalId,
            acceptances))];
    }

    /// <summary>
    /// The drift alerts of the vault, one per flagged entry's principal; none when every entry is EdgeKv's grant or
    /// accepted. The acceptances are read
    /// only when some entry goes beyond EdgeKv's grants (an acceptance only ever clears such an entry), so a sweep over
    /// a healthy fleet makes no store read per vault (on the shared store, one Table query each).
    /// </summary>
    public async Task<IReadOnlyList<AlertObservation>> CheckAsync(Guid serviceObjectId, ResourceRecord record,
        VaultProperties vault, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(vault);
        if (!vault.AccessPolicies.Any(p => AccessPolicyDrift.Review(p, serviceObjectId, record.PrincipalId,
            []).Flagged)) return [];
        return AccessPolicyDrift.Observe(record.Name, vault.Name,
            await ReviewAsync(serviceObjectId, record, vault, cancellationToken));
    }
}
