using EdgeKv.Records.Security.Sqlite;
using EdgeKv.Records.Security;
using EdgeKv.Records.Security.Tables;

namespace EdgeKv.Functions.Security;

/// <summary>
/// EdgeKv's role assignments, managed by the security team through <c>/api/roleAssignments</c>: in security.db, or with
/// several hosts in the app's storage account (<see cref="TableRoleAssignments"/>).
/// </summary>
public sealed class RoleAssignmentStore
{
    private readonly RoleAssignmentBackend backend;

    /// <summary>The embedded store, in security.db.</summary>
    public RoleAssignmentStore(SecurityDatabase store)
        : this(new SqliteRoleAssignments(store))
    {
    }

    public RoleAssignmentStore(RoleAssignmentBackend backend)
    {
        ArgumentNullException.ThrowIfNull(backend);
        this.backend = backend;
    }

    public Task<IReadOnlyList<RoleAssignment>> ListAsync(string? principalId = null,
        CancellationToken cancellationToken = default) =>
        backend.ListAsync(principalId, cancellationToken);

    /// <summary>
    /// The assignments that apply to a caller: those of any of <paramref name="principalIds"/> (itself and its groups).
    /// </summary>
    public async Task<IReadOnlyList<RoleAssignment>> ListForAsync(IEnumerable<string> principalIds,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(principalIds);
        string[] ids = [.. principalIds.Distinct(StringComparer.OrdinalIgnoreCase)];
        if (ids.Length == 1) return await ListAsync(ids[0], cancellationToken);
        var wanted = new HashSet<string>(ids, StringComparer.OrdinalIgnoreCase);
        return [.. (await ListAsync(cancellationToken: cancellationToken)).Where(a => wanted.Contains(a.PrincipalId))];
    }

    public async Task<RoleAssignment?> GetAsync(string id, CancellationToken cancellationToken = default) =>
        (await ListAsync(cancellationToken: cancellationToken)).FirstOrDefault(a => a.Id == id);

    /// <summary>Creates or replaces the assignment with this id.</summary>
    public Task PutAsync(RoleAssignment assignment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        return backend.PutAsync(assignment, cancellationToken);
    }

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default) => backend.DeleteAsync(id,
        cancellationToken);
}
