namespace EdgeKv.Functions.Security;

/// <summary>
/// At which scope a function's permission is decided: every declaration names one, so no function falls into a kind
/// by default. An assignment grants at its scope and below, never above (as Azure RBAC does).
/// </summary>
public enum ActionScope
{
    /// <summary>The service as a whole (keys, KMS providers, sweeps, the instance-management API, system keys, the
    /// audit trail's verification): an app role or an assignment at <c>/</c>.</summary>
    Service,

    /// <summary>
    /// One resource, named by a route value: an assignment at that resource, its resource group, its subscription or
    /// <c>/</c>.
    /// </summary>
    Resource,

    /// <summary>A collection: any caller holding the permission at some scope gets the items it may see at each item's
    /// own scope (possibly none); the rest are left out, never an error.</summary>
    List,

    /// <summary>
    /// A collection read at the scope the request names in <c>?scope=</c> (<c>/</c> when absent), as Azure lists role
    /// assignments at a scope: decided at that scope like a resource action, answering the items at it and below.
    /// </summary>
    QueryScope,

    /// <summary>
    /// An item whose scope is in its own data (a role assignment's <c>scope</c>): the gate admits a caller holding the
    /// permission at some scope and the function decides at the item's scope, for the old and new item alike.
    /// </summary>
    ItemScope,
}
