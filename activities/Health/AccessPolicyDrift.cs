using EdgeKv.Activities.Activation;
using EdgeKv.Azure.Vaults;
using EdgeKv.Records.AccessPolicies;
using EdgeKv.Records.Alerts;

namespace EdgeKv.Activities.Health;

/// <summary>
/// The one judgement of a vault's access policies against what EdgeKv grants (itself the secret permissions of <see
/// cref="CreateVaultActivity.ServiceSecretPermissions"/>, the resource's identity Get and Set on secrets): any other
/// principal, or more than that, is drift, unless the security team accepted exactly those permissions. Used by the
/// access-policies view, the health sweep, the Event Grid webhook and the heal and accept routes.
/// </summary>
public static class AccessPolicyDrift
{
    public static AccessPolicyFinding Review(VaultAccessPolicy policy, Guid serviceObjectId, Guid? identityPrincipalId,
        IReadOnlyList<AcceptedAccessPolicy> accepted)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(accepted);
        bool isService = string.Equals(policy.ObjectId, serviceObjectId.ToString(), StringComparison.OrdinalIgnoreCase);
        bool isIdentity = identityPrincipalId is { } id && string.Equals(policy.ObjectId, id.ToString(),
            StringComparison.OrdinalIgnoreCase);
        string who = isService ? "EdgeKv" : isIdentity ? "Resource identity" : "Unknown principal";
        IReadOnlyList<string> allowed = GrantedSecrets(isService, isIdentity);
        string? reason = null;
        if (!isService && !isIdentity)
        {
            reason = "EdgeKv did not grant this principal any access.";
        }
        else if (policy.Secrets.Any(s => !allowed.Contains(s,
            StringComparer.OrdinalIgnoreCase)) || (policy.Keys?.Count ?? 0) > 0
            || (policy.Certificates?.Count ?? 0) > 0 || (policy.Storage?.Count ?? 0) > 0)
        {
            reason = $"Permissions beyond what EdgeKv granted ({string.Join(", ", allowed)} on secrets).";
        }

        AcceptedAccessPolicy? acceptance = accepted.FirstOrDefault(a => string.Equals(a.ObjectId, policy.ObjectId,
            StringComparison.OrdinalIgnoreCase)
            && string.Equals(a.Permissions, Fingerprint(policy), StringComparison.Ordinal));
        return new AccessPolicyFinding(policy, who, reason is not null && acceptance is null, reason, acceptance);
    }

    /// <summary>
    /// What EdgeKv grants the entry's principal on secrets: its own permissions, Get and Set for the identity, nothing
    /// for anyone else.
    /// </summary>
    public static IReadOnlyList<string> GrantedSecrets(bool isService, bool isIdentity) =>
        isService ? CreateVaultActivity.ServiceSecretPermissions : isIdentity ? GrantIdentityAccessActivity.IdentitySecretPermissions : [];

    /// <summary>
    /// The entry's permissions, normalized (lower case, sorted, per kind), as recorded when it is accepted.
    /// </summary>
    public static string Fingerprint(VaultAccessPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        static string Kind(string name, IReadOnlyList<string>? granted) =>
            $"{name}:{string.Join(",", (granted ?? []).Select(p => p.ToLowerInvariant()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))}";
        return string.Join(";", Kind("secrets", policy.Secrets), Kind("keys", policy.Keys),
            Kind("certificates", policy.Certificates), Kind("storage", policy.Storage));
    }

    /// <summary>
    /// One alert per flagged entry, about its principal (so removing or accepting one entry resolves that entry's
    /// alert alone); none when nothing is flagged.
    /// </summary>
    public static IReadOnlyList<AlertObservation> Observe(string resource, string vaultName,
        IReadOnlyList<AccessPolicyFinding> findings)
    {
        ArgumentNullException.ThrowIfNull(findings);
        return [.. findings.Where(f => f.Flagged).Select(f => new AlertObservation(resource,
            AlertKind.AccessPolicyNotGrantedByEdgeKv,
            $"Vault '{vaultName}' grants {f.ObjectId} ({f.Who}) access EdgeKv did not grant: {f.Reason} "
            + $"{Fingerprint(f.Policy)}. Remove it through EdgeKv or accept it.", f.ObjectId))];
    }
}
