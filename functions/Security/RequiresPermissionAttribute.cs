namespace EdgeKv.Functions.Security;

/// <summary>
/// The one declaration of who may call a function: the permission it needs, the <see cref="ActionScope"/> at which it
/// is decided (for <see cref="ActionScope.Resource"/>, the resource named by the route value <see
/// cref="ResourceRouteValue"/>), and whether each call goes to the audit trail (false for frequent reads such as status
/// polling). Read by <see cref="PermissionGate"/> in Azure (worker middleware) and locally (the local host's endpoint
/// metadata). A function that declares neither this nor <see cref="AuthenticatedByAttribute"/> is refused.
/// <code>
/// [Function("StartVaultRecovery"), RequiresPermission(Permission.RecoveryManage, ActionScope.Resource,
/// ActionScope.Resource)]
/// </code>
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class RequiresPermissionAttribute(Permission permission, ActionScope scope) : Attribute
{
    public Permission Permission { get; } = permission;

    public ActionScope Scope { get; } = scope;

    public bool Audited { get; set; } = true;

    /// <summary>
    /// The route value naming the resource of a <see cref="ActionScope.Resource"/> action; null for every other kind.
    /// </summary>
    public string? ResourceRouteValue { get; set; } = scope == ActionScope.Resource ? "name" : null;

    /// <summary>
    /// What the audit record names as its object when that is not a resource's secret: a template over route values,
    /// such as <c>key:{name}</c>, so that a service-level call (a key, a KMS provider) says what it touched.
    /// </summary>
    public string? AuditObject { get; set; }

    /// <summary>
    /// The audit object for one request: <see cref="AuditObject"/> with each <c>{value}</c> taken from the route.
    /// </summary>
    public string? FormatAuditObject(Func<string, string?> routeValue)
    {
        ArgumentNullException.ThrowIfNull(routeValue);
        if (AuditObject is null) return null;
        var text = new System.Text.StringBuilder(AuditObject.Length + 32);
        int at = 0;
        while (at < AuditObject.Length)
        {
            int open = AuditObject.IndexOf('{', at);
            int close = open < 0 ? -1 : AuditObject.IndexOf('}', open);
            if (close < 0)
            {
                text.Append(AuditObject, at, AuditObject.Length - at);
                break;
            }

            text.Append(AuditObject, at, open - at).Append(routeValue(AuditObject[(open + 1)..close]));
            at = close + 1;
        }

        return text.ToString();
    }
}
