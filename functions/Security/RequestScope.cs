using EdgeKv.Functions.Http;
using Microsoft.Extensions.Primitives;
using EdgeKv.Records.Security;

namespace EdgeKv.Functions.Security;

/// <summary>
/// The scope a <see cref="ActionScope.QueryScope"/> request is read at: <c>?scope=</c> given once (<c>/</c>,
/// <c>/subscriptions/{id}</c>, a resource group with or without its subscription, or <c>/resources/{name}</c>), or the
/// service scope when absent, as Azure lists role assignments at the scope in the request's path.
/// </summary>
public static class RequestScope
{
    public const string QueryName = "scope";

    /// <summary>The scope, or null when the query names it more than once or names no valid scope.</summary>
    public static string? Read(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.Query.TryGetValue(QueryName, out StringValues values)) return RoleAssignment.ServiceScope;
        return values.Count == 1 && values[0] is { } scope && RoleAssignment.IsValidScope(scope) ? scope : null;
    }

    /// <summary>The 400 for a scope <see cref="Read"/> refused.</summary>
    public static IResult Invalid() => AzureError.BadRequest("InvalidScope",
        "The 'scope' query parameter, given once, is '/', '/subscriptions/{id}', '/subscriptions/{id}/resourceGroups/{group}', '/resourceGroups/{group}' or '/resources/{name}' (the service scope when absent).");
}
