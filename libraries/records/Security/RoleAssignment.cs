using EdgeKv.Records;

namespace EdgeKv.Records.Security;

/// <summary>
/// One of EdgeKv's own role assignments: <paramref name="PrincipalId"/> (an Entra object id: a user, an application or
/// a group, whose members then hold it through their token's <c>groups</c> claim) holds <paramref name="Role"/> at
/// <paramref name="Scope"/>: <c>/</c> (the whole service), <c>/subscriptions/{id}</c> (the resources EdgeKv manages in
/// that subscription), <c>/subscriptions/{id}/resourceGroups/{group}</c> (those in that group of that subscription),
/// <c>/resourceGroups/{group}</c> (those in a group of that name, in any subscription) or <c>/resources/{name}</c>.
/// </summary>
public sealed record RoleAssignment(string Id, string PrincipalId, EdgeKvRole Role, string Scope,
    DateTimeOffset CreatedAt, string CreatedBy)
{
    public const string ServiceScope = "/";
    public const string SubscriptionPrefix = "/subscriptions/";
    public const string ResourceGroupPrefix = "/resourceGroups/";
    public const string ResourcePrefix = "/resources/";

    /// <summary>The roles a role assignment can grant (a device's role comes only from its credential).</summary>
    public static readonly IReadOnlyList<EdgeKvRole> AssignableRoles = [EdgeKvRole.SecurityTeam, EdgeKvRole.Operator,
        EdgeKvRole.Auditor];

    /// <summary>An assignable role by its name (case-insensitive); numbers and unknown names are not roles.</summary>
    public static EdgeKvRole? ParseRole(string? name) =>
        AssignableRoles.Select(r => (EdgeKvRole?)r).FirstOrDefault(r => string.Equals(r.ToString(), name?.Trim(),
            StringComparison.OrdinalIgnoreCase));

    public static bool IsValidScope(string scope) =>
        scope == ServiceScope
        || (scope.StartsWith(ResourceGroupPrefix,
            StringComparison.OrdinalIgnoreCase) && scope.Length > ResourceGroupPrefix.Length && scope.Count(c => c == '/') == 2)
        || (scope.StartsWith(ResourcePrefix,
            StringComparison.OrdinalIgnoreCase) && scope.Length > ResourcePrefix.Length && scope.Count(c => c == '/') == 2)
        || SubscriptionOf(scope) is not null;

    public static string ResourceScope(string resourceName) => ResourcePrefix + resourceName;

    /// <summary>The resource a <c>/resources/{name}</c> scope names, else null.</summary>
    public static string? ResourceOf(string scope) =>
        scope.StartsWith(ResourcePrefix, StringComparison.OrdinalIgnoreCase) ? scope[ResourcePrefix.Length..] : null;

    /// <summary>
    /// The group a <c>/resourceGroups/{group}</c> or <c>/subscriptions/{id}/resourceGroups/{group}</c> scope names,
    /// else null.
    /// </summary>
    public static string? ResourceGroupOf(string scope)
    {
        if (scope.StartsWith(ResourceGroupPrefix,
            StringComparison.OrdinalIgnoreCase)) return scope[ResourceGroupPrefix.Length..];
        if (SubscriptionOf(scope) is null) return null;
        string[] parts = scope.Split('/');
        return parts.Length == 5 ? parts[4] : null;
    }

    /// <summary>
    /// The subscription (a GUID) a <c>/subscriptions/{id}</c> or <c>/subscriptions/{id}/resourceGroups/{group}</c>
    /// scope names, else null (also for any other shape under <c>/subscriptions/</c>).
    /// </summary>
    public static string? SubscriptionOf(string scope)
    {
        if (!scope.StartsWith(SubscriptionPrefix, StringComparison.OrdinalIgnoreCase)) return null;
        string[] parts = scope.Split('/');
        bool shaped = parts.Length == 3
            || (parts.Length == 5 && string.Equals(parts[3], "resourceGroups",
                StringComparison.OrdinalIgnoreCase) && parts[4].Length > 0);
        return shaped && Guid.TryParseExact(parts[2], "D", out _) ? parts[2] : null;
    }

    /// <summary>
    /// True when this assignment's scope covers the resource (a null resource is covered by the service scope only).
    /// </summary>
    public bool Covers(ResourceRecord? resource) => ScopeCovers(Scope, resource);

    /// <summary>
    /// True when <paramref name="scope"/> covers the resource (a null resource is covered by the service scope only).
    /// </summary>
    public static bool ScopeCovers(string scope, ResourceRecord? resource) =>
        ScopeCovers(scope, resource?.Name, resource?.ResourceGroup,
            ResourceRecord.SubscriptionOf(resource?.ResourceId));

    /// <summary>
    /// True when <paramref name="scope"/> covers a resource of that name, group and subscription (each null when not
    /// known: then only a scope that needs no more covers it).
    /// </summary>
    public static bool ScopeCovers(string scope, string? resourceName, string? resourceGroup, string? subscriptionId)
    {
        if (scope == ServiceScope) return true;
        if (ResourceOf(scope) is { } named) return resourceName is not null && string.Equals(named, resourceName,
            StringComparison.OrdinalIgnoreCase);
        string? group = ResourceGroupOf(scope);
        string? subscription = SubscriptionOf(scope);
        if (group is null && subscription is null) return false;
        return (group is null || (resourceGroup is not null && string.Equals(group, resourceGroup,
            StringComparison.OrdinalIgnoreCase)))
            && (subscription is null || (subscriptionId is not null && string.Equals(subscription, subscriptionId,
                StringComparison.OrdinalIgnoreCase)));
    }

    /// <summary>
    /// True when <paramref name="outer"/> contains <paramref name="inner"/> by their shapes alone: the service scope
    /// contains every scope, a scope contains itself, a subscription its groups, and a group named without a
    /// subscription the groups of that name in every subscription. Never a scope above itself; whether a group or
    /// subscription contains a resource depends on where the resource is (<see cref="ScopeCovers(string,
    /// ResourceRecord?)"/>).
    /// </summary>
    public static bool ScopeContains(string outer, string inner)
    {
        if (outer == ServiceScope) return true;
        if (inner == ServiceScope) return false;
        if (string.Equals(outer, inner, StringComparison.OrdinalIgnoreCase)) return true;
        if (ResourceOf(outer) is not null || ResourceOf(inner) is not null) return false;
        string? innerGroup = ResourceGroupOf(inner);
        string? innerSubscription = SubscriptionOf(inner);
        if (innerGroup is null || innerSubscription is null) return false;
        return ScopeCovers(outer, resourceName: null, innerGroup, innerSubscription);
    }

    /// <summary>
    /// True for a scope that holds resources by where they are (a group or a subscription), not by name.
    /// </summary>
    public static bool IsContainerScope(string scope) => scope != ServiceScope && ResourceOf(scope) is null && IsValidScope(scope);
}
