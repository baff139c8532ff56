using EdgeKv.Activities.Health;
using EdgeKv.Azure.Vaults;

namespace EdgeKv.Functions.SecurityViews;

/// <summary>
/// The access-policies view of an entry: the one judgement of <see cref="AccessPolicyDrift"/> (what EdgeKv grants
/// itself and the resource's identity; anything else is flagged unless the security team accepted it), shaped for the
/// API.
/// </summary>
public static class AccessPolicyAudit
{
    public static AccessPolicyView Review(VaultAccessPolicy policy, Guid serviceObjectId, Guid? identityPrincipalId) =>
        View(AccessPolicyDrift.Review(policy, serviceObjectId, identityPrincipalId, []));

    public static AccessPolicyView View(AccessPolicyFinding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        VaultAccessPolicy policy = finding.Policy;
        return new AccessPolicyView(policy.ObjectId, finding.Who, policy.Secrets, policy.Keys ?? [],
            policy.Certificates ?? [], policy.Storage ?? [],
            finding.Flagged, finding.Reason, finding.Accepted?.AcceptedBy, finding.Accepted?.AcceptedAt);
    }
}
