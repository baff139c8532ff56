namespace EdgeKv.Azure.Authorization;

/// <summary>A role assignment: a principal holds a role (by definition id) at a scope.</summary>
public sealed record RoleAssignment(string Id, Guid Name, string Scope, string RoleDefinitionId, Guid PrincipalId);
