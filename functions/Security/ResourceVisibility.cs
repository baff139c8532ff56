using EdgeKv.Records;
using EdgeKv.Records.Security;

namespace EdgeKv.Functions.Security;

/// <summary>
/// Which resources a list may show, worked out once per request from the scopes it is read at (the caller's granting
/// assignments, or the one scope a request names): the service scope sees everything (including entries of resources
/// EdgeKv no longer manages, and entries tied to no resource); other scopes see the resources of their subscriptions
/// and groups and the resources named in them. Where a resource is is looked up once per resource and remembered for
/// the request.
/// </summary>
public sealed class ResourceVisibility
{
    private readonly IReadOnlyList<string> scopes;
    private readonly ResourceStore resources;
    private readonly Dictionary<string, bool> seen = new(StringComparer.OrdinalIgnoreCase);

    internal ResourceVisibility(bool everything, IReadOnlyList<string> scopes, ResourceStore resources)
    {
        SeesEverything = everything;
        this.scopes = scopes;
        this.resources = resources;
    }

    /// <summary>True for a service-wide grant: lists need no filtering.</summary>
    public bool SeesEverything { get; }

    public async ValueTask<bool> CanSeeAsync(string? resourceName, CancellationToken cancellationToken)
    {
        if (SeesEverything) return true;
        if (resourceName is null || scopes.Count == 0) return false;
        if (seen.TryGetValue(resourceName, out bool known)) return known;
        bool visible = scopes.Any(s => RoleAssignment.ScopeCovers(s, resourceName, null, null));
        if (!visible && scopes.Any(RoleAssignment.IsContainerScope))
        {
            ResourceRecord? record = await resources.GetAsync(resourceName, cancellationToken);
            visible = record is not null && scopes.Any(s => RoleAssignment.ScopeCovers(s, record));
        }

        seen[resourceName] = visible;
        return visible;
    }

    /// <summary>
    /// For items that carry a scope of their own (role assignments): <c>/</c> only from the service scope, a
    /// subscription or resource group from a scope containing it, a resource as <see cref="CanSeeAsync"/> says.
    /// </summary>
    public async ValueTask<bool> CanSeeScopeAsync(string scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        if (SeesEverything) return true;
        if (RoleAssignment.ResourceOf(scope) is { } resource) return await CanSeeAsync(resource, cancellationToken);
        return RoleAssignment.IsContainerScope(scope) && scopes.Any(s => RoleAssignment.ScopeContains(s, scope));
    }

    /// <summary>For a record already in hand: no lookup needed.</summary>
    public bool CanSee(ResourceRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return SeesEverything || scopes.Any(s => RoleAssignment.ScopeCovers(s, record));
    }
}
