namespace EdgeKv.Functions.Security;

/// <summary>
/// One of EdgeKv's own role assignments: <paramref name="PrincipalId"/> (an Entra object id: a user, an application or a
/// group, whose members then hold it through their token's <c>groups</c> claim) holds <paramref name="Role"/> at
/// <paramref name="Scope"/>: <c>/</c> (the whole service), <c>/resourceGroups/{group}</c> or <c>/resources/{name}</c>.
/// </summary>
public sealed record RoleAssignment(string Id, string PrincipalId, EdgeKvRole Role, string Scope, DateTimeOffset CreatedAt, string CreatedBy)
{
    public const string ServiceScope = "/";
    public const string ResourceGroupPrefix = "/resourceGroups/";
    public const string ResourcePrefix = "/resources/";

    public static bool IsValidScope(string scope) =>
        scope == ServiceScope
        || (scope.StartsWith(ResourceGroupPrefix, StringComparison.OrdinalIgnoreCase) && scope.Length > ResourceGroupPrefix.Length && scope.Count(c => c == '/') == 2)
        || (scope.StartsWith(ResourcePrefix, StringComparison.OrdinalIgnoreCase) && scope.Length > ResourcePrefix.Length && scope.Count(c => c == '/') == 2);

    public static string ResourceScope(string resourceName) => ResourcePrefix + resourceName;

    /// <summary>The resource a <c>/resources/{name}</c> scope names, else null.</summary>
    public static string? ResourceOf(string scope) =>
        scope.StartsWith(ResourcePrefix, StringComparison.OrdinalIgnoreCase) ? scope[ResourcePrefix.Length..] : null;

    /// <summary>The group a <c>/resourceGroups/{group}</c> scope names, else null.</summary>
    public static string? ResourceGroupOf(string scope) =>
        scope.StartsWith(ResourceGroupPrefix, StringComparison.OrdinalIgnoreCase) ? scope[ResourceGroupPrefix.Length..] : null;

    /// <summary>True when this assignment's scope covers the resource (a null resource is covered by the service scope only).</summary>
    public bool Covers(string? resourceName, string? resourceGroup) => ScopeCovers(Scope, resourceName, resourceGroup);

    /// <summary>True when <paramref name="scope"/> covers the resource (a null resource is covered by the service scope only).</summary>
    public static bool ScopeCovers(string scope, string? resourceName, string? resourceGroup) =>
        scope == ServiceScope
        || (resourceName is not null && string.Equals(scope, ResourcePrefix + resourceName, StringComparison.OrdinalIgnoreCase))
        || (resourceGroup is not null && string.Equals(scope, ResourceGroupPrefix + resourceGroup, StringComparison.OrdinalIgnoreCase));
}
