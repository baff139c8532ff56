using EdgeKv.Records;

namespace EdgeKv.Functions.Security;

/// <summary>
/// Decides whether a caller holds a permission on a resource (or, without one, anywhere): app roles in the token grant
/// service-wide; EdgeKv's role assignments grant at their scope; a device holds <see cref="Permission.DeviceSelf"/> on its
/// own resource only. A resource the caller may not see is refused the same way whether it exists or not.
/// </summary>
public sealed class EdgeKvAuthorizer(RoleAssignmentStore assignments, ResourceStore resources)
{
    public async Task<bool> IsAllowedAsync(EdgeKvCaller caller, Permission permission, string? resourceName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.IsDevice)
        {
            return permission == Permission.DeviceSelf && resourceName is not null && string.Equals(caller.DeviceResource, resourceName, StringComparison.OrdinalIgnoreCase);
        }

        if (caller.AppRoles.Any(r => RolePermissions.Grants(r, permission))) return true;
        List<RoleAssignment> granting = [.. (await assignments.ListAsync(caller.Principal, cancellationToken)).Where(a => RolePermissions.Grants(a.Role, permission))];
        if (granting.Count == 0) return false;
        if (granting.Any(a => a.Scope == RoleAssignment.ServiceScope)) return true;
        if (resourceName is null) return true; // a list: the handler filters it with CanSee
        if (granting.Any(a => a.Covers(resourceName, null))) return true;
        ResourceRecord? record = granting.Any(a => a.Scope.StartsWith("/resourceGroups/", StringComparison.OrdinalIgnoreCase))
            ? await resources.GetAsync(resourceName, cancellationToken)
            : null;
        return record is not null && granting.Any(a => a.Covers(record.Name, record.ResourceGroup));
    }

    /// <summary>For lists: which resources' entries the caller may see under the permission (one role lookup per request).</summary>
    public async Task<ResourceVisibility> VisibilityAsync(EdgeKvCaller caller, Permission permission, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.IsDevice) return new ResourceVisibility(everything: false, [], resources);
        if (caller.AppRoles.Any(r => RolePermissions.Grants(r, permission))) return new ResourceVisibility(everything: true, [], resources);
        List<RoleAssignment> granting = [.. (await assignments.ListAsync(caller.Principal, cancellationToken)).Where(a => RolePermissions.Grants(a.Role, permission))];
        return new ResourceVisibility(granting.Any(a => a.Scope == RoleAssignment.ServiceScope), granting, resources);
    }
}
