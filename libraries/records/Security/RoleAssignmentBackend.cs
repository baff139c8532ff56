namespace EdgeKv.Records.Security;

/// <summary>
/// Where the role assignment store keeps assignments: <see cref="SqliteRoleAssignments"/> or <see
/// cref="TableRoleAssignments"/>.
/// </summary>
public abstract class RoleAssignmentBackend
{
    /// <summary>
    /// The valid assignments (of one principal, any case, when given) ordered by creation time, then id.
    /// </summary>
    public abstract Task<IReadOnlyList<RoleAssignment>> ListAsync(string? principalId,
        CancellationToken cancellationToken);

    public abstract Task PutAsync(RoleAssignment assignment, CancellationToken cancellationToken);

    public abstract Task<bool> DeleteAsync(string id, CancellationToken cancellationToken);
}
