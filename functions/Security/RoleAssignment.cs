namespace EdgeKv.Functions.Security;

/// <summary>
/// One of EdgeKv's own role assignments: <paramref name="PrincipalId"/> (an Entra object id) holds <paramref name="Role"/>
/// at <paramref name="Scope"/>: <c>/</c> (the whole service), <c>/resourceGroups/{group}</c> or <c>/resources/{name}</c>.
/// </summary>
public sealed record RoleAssignment(string Id, string PrincipalId, EdgeKvRole Role, string Scope, DateTimeOffset CreatedAt, string CreatedBy)
{
    public const string ServiceScope = "/";

    public static bool IsValidScope(string scope) =>
        scope == ServiceScope
        || (scope.StartsWith("/resourceGroups/", StringComparison.OrdinalIgnoreCase) && scope.Length > "/resourceGroups/".Length && scope.Count(c => c == '/') == 2)
        || (scope.StartsWith("/resources/", StringComparison.OrdinalIgnoreCase) && scope.Length > "/resources/".Length && scope.Count(c => c == '/') == 2);

    /// <summary>True when this assignment's scope covers the resource (or, for a null resource, the whole service).</summary>
    public bool Covers(string? resourceName, string? resourceGroup) =>
        Scope == ServiceScope
        || (resourceName is not null && string.Equals(Scope, "/resources/" + resourceName, StringComparison.OrdinalIgnoreCase))
        || (resourceGroup is not null && string.Equals(Scope, "/resourceGroups/" + resourceGroup, StringComparison.OrdinalIgnoreCase));
}
