using EdgeKv.Records;

namespace EdgeKv.Functions.Security;

/// <summary>
/// Which resources a caller may see in a list under one permission, worked out once per request: a service-wide role
/// sees everything (including entries of resources EdgeKv no longer manages, and entries tied to no resource); scoped
/// assignments see the resources of their groups and the resources named in them. Resource groups are looked up once
/// per resource and remembered for the request.
/// </summary>
public sealed class ResourceVisibility
{
    private readonly IReadOnlyList<RoleAssignment> granting;
    private readonly ResourceStore resources;
    private readonly Dictionary<string, bool> seen = new(StringComparer.OrdinalIgnoreCase);

    internal ResourceVisibility(bool everything, IReadOnlyList<RoleAssignment> granting, ResourceStore resources)
    {
        SeesEverything = everything;
        this.granting = granting;
        this.resources = resources;
    }

    /// <summary>True for a service-wide grant: lists need no filtering.</summary>
    public bool SeesEverything { get; }

    public async ValueTask<bool> CanSeeAsync(string? resourceName, CancellationToken cancellationToken)
    {
        if (SeesEverything) return true;
        if (resourceName is null || granting.Count == 0) return false;
        if (seen.TryGetValue(resourceName, out bool known)) return known;
        bool visible = granting.Any(a => a.Covers(resourceName, null));
        if (!visible && granting.Any(a => a.Scope.StartsWith("/resourceGroups/", StringComparison.OrdinalIgnoreCase)))
        {
            ResourceRecord? record = await resources.GetAsync(resourceName, cancellationToken);
            visible = record is not null && granting.Any(a => a.Covers(record.Name, record.ResourceGroup));
        }

        seen[resourceName] = visible;
        return visible;
    }

    /// <summary>
    /// For items that carry a scope of their own (role assignments): <c>/</c> only with a service-wide grant, a resource
    /// group with a grant at that group, a resource as <see cref="CanSeeAsync"/> says.
    /// </summary>
    public async ValueTask<bool> CanSeeScopeAsync(string scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        if (SeesEverything) return true;
        if (RoleAssignment.ResourceOf(scope) is { } resource) return await CanSeeAsync(resource, cancellationToken);
        return RoleAssignment.ResourceGroupOf(scope) is not null && granting.Any(a => string.Equals(a.Scope, scope, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>For a record already in hand: no lookup needed.</summary>
    public bool CanSee(ResourceRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return SeesEverything || granting.Any(a => a.Covers(record.Name, record.ResourceGroup));
    }
}
