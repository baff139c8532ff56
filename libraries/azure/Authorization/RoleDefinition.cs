namespace EdgeKv.Azure.Authorization;

/// <summary>
/// A role definition (built-in or custom): its permissions, management and data plane, and where it may be assigned.
/// </summary>
public sealed record RoleDefinition(
    string Id,
    Guid Name,
    string RoleName,
    string Description,
    string Type,
    IReadOnlyList<string> AssignableScopes,
    IReadOnlyList<string> Actions,
    IReadOnlyList<string> NotActions,
    IReadOnlyList<string> DataActions,
    IReadOnlyList<string> NotDataActions);
