namespace EdgeKv.Functions.Security;

/// <summary>
/// The one declaration of who may call a function: the permission it needs, on the resource named by the route value
/// <see cref="ResourceRouteValue"/> (null for service-level functions), and whether each call goes to the audit trail
/// (false for frequent reads such as status polling). Read by <see cref="PermissionGate"/> in Azure (worker middleware)
/// and locally (the local host's endpoint metadata). A function that declares neither this nor
/// <see cref="AuthenticatedByAttribute"/> is refused.
/// <code>
/// [Function("RecoverVault"), RequiresPermission(Permission.RecoveryManage)]
/// </code>
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class RequiresPermissionAttribute(Permission permission) : Attribute
{
    public Permission Permission { get; } = permission;

    public bool Audited { get; set; } = true;

    public string? ResourceRouteValue { get; set; } = "name";
}
