namespace EdgeKv.Emulator.Authorization;

/// <summary>
/// A role definition: a built-in Azure role (its real role-definition GUID), a custom role configured at start-up, or
/// one created through Resource Manager. Actions and not-actions govern the management plane, data actions and
/// not-data-actions the data plane; a not-action only takes away from the same role's actions (another role may still
/// grant it), as Azure evaluates them. Custom roles carry their assignable scopes; built-in roles are assignable
/// everywhere.
/// </summary>
public sealed record BuiltInRole(Guid Id, string Name, string Description, IReadOnlyList<string> Actions,
    IReadOnlyList<string> NotActions,
    IReadOnlyList<string>? DataActions = null, IReadOnlyList<string>? NotDataActions = null,
    IReadOnlyList<string>? AssignableScopes = null)
{
    /// <summary>
    /// True for a role created through Resource Manager or configured as custom (it has assignable scopes).
    /// </summary>
    public bool IsCustom => AssignableScopes is { Count: > 0 };

    public bool Allows(string action) =>
        Actions.Any(pattern => ActionPattern.Matches(pattern, action)) &&
        !NotActions.Any(pattern => ActionPattern.Matches(pattern, action));

    public bool AllowsData(string dataAction) =>
        (DataActions ?? []).Any(pattern => ActionPattern.Matches(pattern, dataAction)) &&
        !(NotDataActions ?? []).Any(pattern => ActionPattern.Matches(pattern, dataAction));

    /// <summary>
    /// Whether the role may be assigned at <paramref name="scope"/>: one of its assignable scopes is the scope or above
    /// it.
    /// </summary>
    public bool IsAssignableAt(string scope) =>
        AssignableScopes is not { Count: > 0 } scopes || scopes.Any(s => s == "/" || ScopePath.IsAtOrBelow(scope, s));
}
