namespace EdgeKv.Emulator.Authorization;

/// <summary>A built-in Azure role: its real role-definition GUID, actions and not-actions (management plane) and data actions.</summary>
public sealed record BuiltInRole(Guid Id, string Name, string Description, IReadOnlyList<string> Actions, IReadOnlyList<string> NotActions,
    IReadOnlyList<string>? DataActions = null)
{
    public bool Allows(string action) =>
        Actions.Any(pattern => ActionPattern.Matches(pattern, action)) &&
        !NotActions.Any(pattern => ActionPattern.Matches(pattern, action));

    public bool AllowsData(string dataAction) => (DataActions ?? []).Any(pattern => ActionPattern.Matches(pattern, dataAction));
}
