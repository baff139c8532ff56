using EdgeKv.Activities.Activation;
using EdgeKv.Azure.Vaults;

namespace EdgeKv.Functions.SecurityViews;

/// <summary>
/// What EdgeKv grants on a vault: itself the secret permissions it needs (CreateVaultActivity), the resource's identity
/// get and set on secrets. Any other entry, or more than that, is flagged: someone granted access out of band.
/// </summary>
public static class AccessPolicyAudit
{
    private static readonly string[] IdentitySecrets = ["get", "set"];

    public static AccessPolicyView Review(VaultAccessPolicy policy, Guid serviceObjectId, Guid? identityPrincipalId)
    {
        ArgumentNullException.ThrowIfNull(policy);
        IReadOnlyList<string> keys = policy.Keys ?? [], certificates = policy.Certificates ?? [], storage = policy.Storage ?? [];
        bool isService = string.Equals(policy.ObjectId, serviceObjectId.ToString(), StringComparison.OrdinalIgnoreCase);
        bool isIdentity = identityPrincipalId is { } id && string.Equals(policy.ObjectId, id.ToString(), StringComparison.OrdinalIgnoreCase);
        string who = isService ? "EdgeKv" : isIdentity ? "Resource identity" : "Unknown principal";
        IReadOnlyList<string> allowed = isService ? CreateVaultActivity.ServiceSecretPermissions : isIdentity ? IdentitySecrets : [];
        string? reason = null;
        if (!isService && !isIdentity)
        {
            reason = "EdgeKv did not grant this principal any access.";
        }
        else if (policy.Secrets.Any(s => !allowed.Contains(s, StringComparer.OrdinalIgnoreCase)) || keys.Count > 0 || certificates.Count > 0 || storage.Count > 0)
        {
            reason = $"Permissions beyond what EdgeKv granted ({string.Join(", ", allowed)} on secrets).";
        }

        return new AccessPolicyView(policy.ObjectId, who, policy.Secrets, keys, certificates, storage, reason is not null, reason);
    }
}
