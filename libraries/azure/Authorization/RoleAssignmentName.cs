using System.Security.Cryptography;
using System.Text;

namespace EdgeKv.Azure.Authorization;

/// <summary>
/// Deterministic names, so that a repeated grant finds its own earlier assignment (Azure refuses a second assignment of
/// the same role to the same principal at the same scope under another name) and a custom role keeps one id: a GUID
/// from a SHA-256 of the parts, lower-cased (resource ids are case-insensitive).
/// </summary>
public static class RoleAssignmentName
{
    public static Guid For(string scope, Guid principalId, Guid roleDefinition) => From(scope.TrimEnd('/'),
        principalId.ToString(), roleDefinition.ToString());

    public static Guid From(params string[] parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("|", parts).ToLowerInvariant()));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50); // a name-based UUID (version 5 layout), as ARM templates' guid() makes
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
