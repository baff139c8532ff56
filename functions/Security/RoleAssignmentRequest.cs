using System.Text.Json.Serialization;
using EdgeKv.Functions.Http;
using EdgeKv.Functions.Validation;
using EdgeKv.Records.Security;

namespace EdgeKv.Functions.Security;

/// <summary>
/// Body of <c>PUT /api/roleAssignments/{id}</c>: every field required and checked before anything is written; a member
/// it does not take is a 400, never ignored.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record RoleAssignmentRequest(string? PrincipalId, string? Role, string? Scope)
{
    /// <summary>
    /// The assignment this request describes, or the 400 that says what is wrong. The scope is never defaulted: a
    /// missing scope is an error, not a service-wide grant. Roles are matched by name only (a number is not a role).
    /// </summary>
    public (RoleAssignment? Assignment, IResult? Invalid) Validate(string id, string createdBy, DateTimeOffset now)
    {
        if (IdentifierRules.CheckId(id, "role assignment id") is { } badId) return (null, badId);
        if (!Guid.TryParseExact(PrincipalId?.Trim() ?? "", "D", out Guid principal))
        {
            return (null, AzureError.BadRequest("InvalidPrincipalId",
                "principalId must be the Microsoft Entra object id (a GUID) of a user, group or application."));
        }

        if (RoleAssignment.ParseRole(Role) is not { } role)
        {
            return (null, AzureError.BadRequest("InvalidRole", $"role must be one of {string.Join(", ", RoleAssignment.AssignableRoles)}."));
        }

        if (string.IsNullOrEmpty(Scope))
        {
            return (null, AzureError.BadRequest("MissingScope",
                "scope is required: '/' for the whole service, '/subscriptions/{id}', '/subscriptions/{id}/resourceGroups/{group}', '/resourceGroups/{group}' or '/resources/{name}'."));
        }

        if (!IsValidScope(Scope))
        {
            return (null, AzureError.BadRequest("InvalidScope",
                "scope must be '/', '/subscriptions/{id}', '/subscriptions/{id}/resourceGroups/{group}', '/resourceGroups/{group}' or '/resources/{name}' with a valid id and names."));
        }

        return (new RoleAssignment(id, principal.ToString("D"), role, Scope, now, createdBy), null);
    }

    private static bool IsValidScope(string scope)
    {
        if (scope == RoleAssignment.ServiceScope) return true;
        if (!RoleAssignment.IsValidScope(scope)) return false;
        if (RoleAssignment.ResourceOf(scope) is { } resource) return IdentifierRules.IsValidResourceName(resource);
        return RoleAssignment.ResourceGroupOf(scope) is not { } group || IdentifierRules.IsValidResourceGroupName(group);
    }
}
