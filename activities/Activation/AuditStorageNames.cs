using System.Security.Cryptography;
using System.Text;

namespace EdgeKv.Activities.Activation;

/// <summary>
/// The audit storage account's name: "ekvaudit" and 12 hex of the vault id (3-24 lowercase letters and digits, stable
/// across re-runs).
/// </summary>
public static class AuditStorageNames
{
    public const string VaultTag = "edgekv-vault";

    public static string For(string vaultId)
    {
        ArgumentNullException.ThrowIfNull(vaultId);
        return "ekvaudit" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(vaultId.ToLowerInvariant())))[..12];
    }
}
