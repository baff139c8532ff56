namespace EdgeKv.Emulator.Authorization;

/// <summary>A built-in Azure role: its real role-definition GUID, actions and not-actions (management plane).</summary>
public sealed record BuiltInRole(Guid Id, string Name, string Description, IReadOnlyList<string> Actions, IReadOnlyList<string> NotActions)
{
    public bool Allows(string action) =>
        Actions.Any(pattern => ActionPattern.Matches(pattern, action)) &&
        !NotActions.Any(pattern => ActionPattern.Matches(pattern, action));
}
