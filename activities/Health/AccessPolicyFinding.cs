using EdgeKv.Azure.Vaults;
using EdgeKv.Records.AccessPolicies;

namespace EdgeKv.Activities.Health;

/// <summary>
/// How one access policy entry of a vault compares with what EdgeKv granted: whose it is (EdgeKv, the resource's
/// identity, or an unknown principal), whether it goes beyond EdgeKv's grants and why, and the security team's
/// acceptance if any (an accepted entry whose permissions are still the accepted ones is not flagged).
/// </summary>
public sealed record AccessPolicyFinding(VaultAccessPolicy Policy, string Who, bool Flagged, string? Reason,
    AcceptedAccessPolicy? Accepted)
{
    public string ObjectId => Policy.ObjectId;
}
