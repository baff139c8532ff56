using System.Collections.Frozen;
using EdgeKv.Records.Security;

namespace EdgeKv.Functions.Security;

/// <summary>
/// The permission table of the access model (docs/security.md, "Roles"). Management and data plane are granted
/// separately: only the security team reads secret values or manages keys; the operator sees names and status; the
/// auditor reads.
/// </summary>
public static class RolePermissions
{
    public const string AppRolePrefix = "EdgeKv.";

    private static readonly FrozenDictionary<EdgeKvRole, FrozenSet<Permission>> Table = new Dictionary<EdgeKvRole, FrozenSet<Permission>>
    {
        [EdgeKvRole.SecurityTeam] = new[]
        {
            Permission.ResourcesRead, Permission.ResourcesWrite, Permission.ActivationManage, Permission.RecoveryManage,
                Permission.ResourcesDelete,
            Permission.AccessManage, Permission.AuditRead, Permission.SecretNamesRead, Permission.SecretValuesRead,
            Permission.SecretValuesWrite,
            Permission.KeysManage, Permission.OrchestrationsRead, Permission.OrchestrationsManage,
            Permission.KeysRead,
        }.ToFrozenSet(),
        [EdgeKvRole.Operator] = new[]
        {
            Permission.ResourcesRead, Permission.ResourcesWrite, Permission.ActivationManage, Permission.RecoveryManage,
                Permission.SecretNamesRead,
            Permission.OrchestrationsRead, Permission.OrchestrationsManage,
        }.ToFrozenSet(),
        [EdgeKvRole.Auditor] = new[]
        {
            Permission.ResourcesRead, Permission.AuditRead, Permission.SecretNamesRead, Permission.OrchestrationsRead,
            Permission.KeysRead,
        }.ToFrozenSet(),
        [EdgeKvRole.Device] = new[] { Permission.DeviceSelf }.ToFrozenSet(),
    }.ToFrozenDictionary();

    public static bool Grants(EdgeKvRole role, Permission permission) => Table[role].Contains(permission);

    /// <summary>
    /// True for the roles that carry data-plane rights (secret values, keys): granting them is watched.
    /// </summary>
    public static bool IsDataPlane(EdgeKvRole role) => Grants(role, Permission.SecretValuesRead) || Grants(role,
        Permission.KeysManage);

    /// <summary>
    /// The role named by an app role claim value such as <c>EdgeKv.SecurityTeam</c>; devices are never app roles.
    /// </summary>
    public static EdgeKvRole? FromAppRole(string value) =>
        value.StartsWith(AppRolePrefix, StringComparison.Ordinal)
        && Enum.TryParse(value[AppRolePrefix.Length..], ignoreCase: false,
            out EdgeKvRole role) && role != EdgeKvRole.Device
            ? role
            : null;
}
