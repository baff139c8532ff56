using EdgeKv.Azure.Vaults;
using EdgeKv.Records;
using EdgeKv.Records.AccessPolicies;
using EdgeKv.Records.Alerts;

namespace EdgeKv.Activities.Health;

/// <summary>
/// Reviews a vault's access policies against what EdgeKv granted and what the security team accepted (read from
/// <see cref="AcceptedAccessPolicyStore"/>): the sweep's, the webhook's and the routes' one way to find access-policy drift.
/// </summary>
public sealed class AccessPolicyDriftCheck(AcceptedAccessPolicyStore accepted)
{
    public async Task<IReadOnlyList<AccessPolicyFinding>> ReviewAsync(Guid serviceObjectId, ResourceRecord record, VaultProperties vault, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(vault);
        IReadOnlyList<AcceptedAccessPolicy> acceptances = await accepted.ListAsync(record.Name, cancellationToken);
        return [.. vault.AccessPolicies.Select(p => AccessPolicyDrift.Review(p, serviceObjectId, record.PrincipalId, acceptances))];
    }

    /// <summary>The drift alert for the vault, or null when every entry is EdgeKv's grant or accepted.</summary>
    public async Task<AlertObservation?> CheckAsync(Guid serviceObjectId, ResourceRecord record, VaultProperties vault, CancellationToken cancellationToken) =>
        AccessPolicyDrift.Observe(record.Name, vault.Name, await ReviewAsync(serviceObjectId, record, vault, cancellationToken));
}
