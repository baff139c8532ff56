
namespace EdgeKv.Emulator.Authorization;

/// <summary>
/// Management-plane authorization: a role assignment at the scope or above whose role allows the action.
/// </summary>
internal sealed class RoleAuthorizer(Arm.ResourceRepository resources, RoleDefinitionDirectory roles)
{
    public const string RoleAssignmentType = "Microsoft.Authorization/roleAssignments";
    private const string AssignmentsSegment = "/providers/Microsoft.Authorization/roleAssignments";

    private const string WriteAction = "Microsoft.Authorization/roleAssignments/write";
    private const string DeleteAction = "Microsoft.Authorization/roleAssignments/delete";

    /// <summary>
    /// The admission check of a request. An assignment's condition is evaluated against the action alone, except on
    /// writing or deleting a role assignment, whose conditions need the assignment's role: the handler checks those
    /// again with it (<see cref="IsAllowedAsync(Guid, string, RoleAssignmentCondition.Attributes,
    /// CancellationToken)"/>).
    /// </summary>
    public Task<bool> IsAllowedAsync(Guid principalId, string scope, string action,
        CancellationToken cancellationToken) =>
        AnyRoleAsync(principalId, scope, role => role.Allows(action),
            IsRoleAssignmentChange(action) ? null : new RoleAssignmentCondition.Attributes(action, null, null),
            cancellationToken);

    /// <summary>
    /// Authorization with the attributes a condition reads: the role of the assignment requested or deleted.
    /// </summary>
    public Task<bool> IsAllowedAsync(Guid principalId, string scope, RoleAssignmentCondition.Attributes attributes,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        return AnyRoleAsync(principalId, scope, role => role.Allows(attributes.Action), attributes, cancellationToken);
    }

    public static bool IsRoleAssignmentChange(string action) =>
        string.Equals(action, WriteAction, StringComparison.OrdinalIgnoreCase) || string.Equals(action, DeleteAction,
            StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Data-plane authorization of a bearer token, as Azure Storage and Key Vault (for vaults on Azure RBAC) do it:
    /// only a role whose data actions allow <paramref name="dataAction"/>, less its not-data-actions, counts.
    /// Management roles (Owner, Contributor) carry no data actions; their holders reach the data only by another
    /// credential (an account key, an access policy on a vault that uses them) or by assigning themselves a data role.
    /// </summary>
    public Task<bool> IsDataActionAllowedAsync(Guid principalId, string scope, string dataAction,
        CancellationToken cancellationToken) =>
        AnyRoleAsync(principalId, scope, role => role.AllowsData(dataAction),
            new RoleAssignmentCondition.Attributes(dataAction, null, null), cancellationToken);

    /// <summary>
    /// Any assignment of the principal at the scope or above whose role allows, and whose condition (if any) holds for
    /// <paramref name="attributes"/>; with no attributes, conditions are left to a later check that has them.
    /// </summary>
    private async Task<bool> AnyRoleAsync(Guid principalId, string scope, Func<BuiltInRole, bool> allows,
        RoleAssignmentCondition.Attributes? attributes,
        CancellationToken cancellationToken)
    {
        // Assignments that apply sit at the scope or above it: their ids lie under
        // "{ancestor}/providers/Microsoft.Authorization/roleAssignments".
        foreach (var assignment in await AssignmentsAboveAsync(scope, cancellationToken))
        {
            var properties = assignment["properties"]!.AsObject();
            if (!Guid.TryParse((string?)properties["principalId"], out var assigned) || assigned != principalId)
            {
                continue;
            }

            if (!ScopePath.IsAtOrBelow(scope, (string)properties["scope"]!))
            {
                continue;
            }

            if (attributes is not null && (string?)properties["condition"] is { Length: > 0 } condition && !RoleAssignmentCondition.Parse(condition).Allows(attributes))
            {
                continue;
            }

            if (await roles.FindByDefinitionIdAsync((string?)properties["roleDefinitionId"],
                cancellationToken) is { } role && allows(role))
            {
                return true;
            }
        }

        return false;
    }

    private Task<IReadOnlyList<System.Text.Json.Nodes.JsonObject>> AssignmentsAboveAsync(string scope,
        CancellationToken cancellationToken) =>
        resources.ListAtScopesAsync(RoleAssignmentType,
            ScopePath.SelfAndAncestors(scope).Prepend(string.Empty).Select(ancestor => ancestor + AssignmentsSegment),
            cancellationToken);

    /// <summary>
    /// True when the principal holds any role assignment under the subscription (what makes it visible in a list).
    /// </summary>
    public async Task<bool> HasAnyAssignmentAsync(Guid principalId, string subscriptionId,
        CancellationToken cancellationToken) =>
        (await resources.ListAsync(RoleAssignmentType, cancellationToken)).Any(assignment =>
            Guid.TryParse((string?)assignment["properties"]?["principalId"],
                out var assigned) && assigned == principalId &&
            ScopePath.IsAtOrBelow((string)assignment["properties"]!["scope"]!, $"/subscriptions/{subscriptionId}"));
}
