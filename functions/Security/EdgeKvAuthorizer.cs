using EdgeKv.Records;
using EdgeKv.Records.Security;

namespace EdgeKv.Functions.Security;

/// <summary>
/// The one authorization decision, made at the action's own scope. App roles in the token grant at the service scope;
/// EdgeKv's role assignments (to the caller or to a group in its <c>groups</c> claim) grant at their scope and below,
/// never above; a device holds <see cref="Permission.DeviceSelf"/> on its own resource only. A resource the caller may
/// not see is refused the same way whether it exists or not.
/// </summary>
public sealed class EdgeKvAuthorizer(RoleAssignmentStore assignments, ResourceStore resources)
{
    /// <summary>
    /// The gate's decision for one declaration; <paramref name="resourceName"/> is the route's resource for <see
    /// cref="ActionScope.Resource"/>, <paramref name="requestScope"/> the scope a <see cref="ActionScope.QueryScope"/>
    /// request names; each is ignored otherwise.
    /// </summary>
    public Task<bool> IsAllowedAsync(
        EdgeKvCaller caller, RequiresPermissionAttribute required, string? resourceName, string? requestScope = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(required);
        return required.Scope switch
        {
            ActionScope.Resource => resourceName is null
                ? Task.FromResult(false)
                : IsAllowedOnResourceAsync(caller, required.Permission, resourceName, cancellationToken),
            ActionScope.Service => IsAllowedAtServiceAsync(caller, required.Permission, cancellationToken),
            ActionScope.QueryScope => requestScope is null
                ? Task.FromResult(false)
                : IsAllowedAtScopeAsync(caller, required.Permission, requestScope, cancellationToken),
            ActionScope.List or ActionScope.ItemScope => HoldsAnywhereAsync(caller, required.Permission,
                cancellationToken),
            _ => Task.FromResult(false),
        };
    }

    /// <summary>A service-level action: an app role, or an assignment at <c>/</c>.</summary>
    public Task<bool> IsAllowedAtServiceAsync(EdgeKvCaller caller, Permission permission,
        CancellationToken cancellationToken = default) =>
        IsAllowedAtScopeAsync(caller, permission, RoleAssignment.ServiceScope, cancellationToken);

    /// <summary>
    /// A resource action: an assignment at that resource, its resource group, its subscription, or the service.
    /// </summary>
    public async Task<bool> IsAllowedOnResourceAsync(EdgeKvCaller caller, Permission permission, string resourceName,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentException.ThrowIfNullOrEmpty(resourceName);
        if (caller.IsDevice)
        {
            return permission == Permission.DeviceSelf && string.Equals(caller.DeviceResource, resourceName,
                StringComparison.OrdinalIgnoreCase);
        }

        return await IsAllowedAtScopeAsync(caller, permission, RoleAssignment.ResourceScope(resourceName),
            cancellationToken);
    }

    /// <summary>
    /// True when the caller holds the permission at a scope containing <paramref name="scope"/> (<c>/</c>,
    /// <c>/subscriptions/{id}</c>, a resource group with or without its subscription, or <c>/resources/{name}</c>).
    /// Devices hold nothing at a scope.
    /// </summary>
    public async Task<bool> IsAllowedAtScopeAsync(EdgeKvCaller caller, Permission permission, string scope,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(scope);
        if (caller.IsDevice) return false;
        if (caller.AppRoles.Any(r => RolePermissions.Grants(r, permission))) return true;
        IReadOnlyList<RoleAssignment> granting = await GrantingAsync(caller, permission, cancellationToken);
        foreach (RoleAssignment assignment in granting)
        {
            if (await ContainsAsync(assignment.Scope, scope, cancellationToken)) return true;
        }

        return false;
    }

    /// <summary>
    /// For lists and item-scoped actions: the caller holds the permission at some scope (the items decide the rest).
    /// </summary>
    public async Task<bool> HoldsAnywhereAsync(EdgeKvCaller caller, Permission permission,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.IsDevice) return false;
        return caller.AppRoles.Any(r => RolePermissions.Grants(r, permission)) || (await GrantingAsync(caller,
            permission, cancellationToken)).Count > 0;
    }

    /// <summary>
    /// For lists: which resources' entries the caller may see under the permission (one role lookup per request).
    /// </summary>
    public async Task<ResourceVisibility> VisibilityAsync(EdgeKvCaller caller, Permission permission,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.IsDevice) return new ResourceVisibility(everything: false, [], resources);
        if (caller.AppRoles.Any(r => RolePermissions.Grants(r,
            permission))) return new ResourceVisibility(everything: true, [], resources);
        IReadOnlyList<RoleAssignment> granting = await GrantingAsync(caller, permission, cancellationToken);
        return new ResourceVisibility(granting.Any(a => a.Scope == RoleAssignment.ServiceScope),
            [.. granting.Select(a => a.Scope)], resources);
    }

    /// <summary>
    /// For a collection read at one scope the caller was allowed at: the items at that scope and below.
    /// </summary>
    public ResourceVisibility Below(string scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return new ResourceVisibility(scope == RoleAssignment.ServiceScope, [scope], resources);
    }

    /// <summary>
    /// True when <paramref name="outer"/> contains <paramref name="inner"/>: the service scope contains every scope, a
    /// scope contains itself, a subscription its groups, and a subscription or resource group the resources EdgeKv
    /// records in it (where the resource's ARM id says it is). Nothing contains a scope above itself.
    /// </summary>
    public async Task<bool> ContainsAsync(string outer, string inner, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outer);
        ArgumentNullException.ThrowIfNull(inner);
        if (RoleAssignment.ScopeContains(outer, inner)) return true;
        if (!RoleAssignment.IsContainerScope(outer) || RoleAssignment.ResourceOf(inner) is not { } resource) return false;
        ResourceRecord? record = await resources.GetAsync(resource, cancellationToken);
        return record is not null && RoleAssignment.ScopeCovers(outer, record);
    }

    /// <summary>The caller's assignments (its own and its groups') whose role grants the permission.</summary>
    private async Task<IReadOnlyList<RoleAssignment>> GrantingAsync(EdgeKvCaller caller, Permission permission,
        CancellationToken cancellationToken) =>
        [.. (await assignments.ListForAsync(caller.PrincipalIds,
            cancellationToken)).Where(a => RolePermissions.Grants(a.Role, permission))];
}
