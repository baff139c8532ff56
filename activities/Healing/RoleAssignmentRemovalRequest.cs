namespace EdgeKv.Activities.Healing;

/// <summary>
/// Input of the role-assignment heal: the resource and the name (a GUID) of an assignment on its vault that EdgeKv did
/// not make. Persisted in history.
/// </summary>
public sealed record RoleAssignmentRemovalRequest(string ResourceName, string AssignmentName);
