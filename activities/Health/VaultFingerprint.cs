using System.Security.Cryptography;
using System.Text;
using EdgeKv.Azure.Vaults;

namespace EdgeKv.Activities.Health;

/// <summary>
/// A short hash of what the fleet list shows of a vault that a change out of band would touch (its id and URI, access
/// policies, permission model, network rules, provisioning state): when it differs from the last sweep's, the vault's
/// per-vault reads run at once instead of on their schedule. Key Vault's list carries no ETag, so this stands in for
/// one.
/// </summary>
public static class VaultFingerprint
{
    public static string Of(VaultProperties vault)
    {
        ArgumentNullException.ThrowIfNull(vault);
        var text = new StringBuilder()
            .Append(vault.Id.ToLowerInvariant()).Append('\n').Append(vault.VaultUri).Append('\n').Append(vault.EnableRbacAuthorization).Append('\n')
            .Append(vault.ProvisioningState).Append('\n').Append(vault.EnablePurgeProtection).Append('\n').Append(vault.SkuName).Append('\n');
        if (vault.NetworkRules is { } rules)
        {
            text.Append(rules.DefaultAction).Append('|').Append(rules.Bypass).Append('|').AppendJoin(',',
                rules.IpRules.Order(StringComparer.Ordinal)).Append('\n');
        }

        foreach (string policy in vault.AccessPolicies.Select(Canonical).Order(StringComparer.Ordinal)) text.Append(policy).Append('\n');
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())).AsSpan(0, 16));
    }

    private static string Canonical(VaultAccessPolicy p) =>
        $"{p.TenantId}|{p.ObjectId.ToLowerInvariant()}|{Set(p.Secrets)}|{Set(p.Keys)}|{Set(p.Certificates)}|{Set(p.Storage)}";

    private static string Set(IReadOnlyList<string>? values) => values is null ? "-" : string.Join(',',
        values.Select(v => v.ToLowerInvariant()).Order(StringComparer.Ordinal));
}
