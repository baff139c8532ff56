namespace EdgeKv.Records.AccessPolicies;

/// <summary>
/// The access policy entries the security team accepted: by default in EdgeKv.db, with several hosts in Table storage
/// (<see cref="Shared.TableAcceptedAccessPolicyStore"/>). One entry per resource and principal; accepting again
/// replaces the entry; forgetting a resource drops its entries.
/// </summary>
public sealed class AcceptedAccessPolicyStore
{
    private readonly AcceptedAccessPolicyStoreBackend backend;

    /// <summary>The embedded store, in the SQLite file of the resource records.</summary>
    public AcceptedAccessPolicyStore(ResourceStoreOptions options, TimeProvider time)
        : this(new Sqlite.SqliteAcceptedAccessPolicyStore(options, time))
    {
    }

    public AcceptedAccessPolicyStore(AcceptedAccessPolicyStoreBackend backend)
    {
        ArgumentNullException.ThrowIfNull(backend);
        this.backend = backend;
    }

    public Task AcceptAsync(AcceptedAccessPolicy accepted, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(accepted);
        return backend.AcceptAsync(accepted, cancellationToken);
    }

    /// <summary>A resource's accepted entries, by principal.</summary>
    public Task<IReadOnlyList<AcceptedAccessPolicy>> ListAsync(string resource,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return backend.ListAsync(resource, cancellationToken);
    }

    /// <summary>Drops a resource's accepted entries (the resource is forgotten, or its vault replaced).</summary>
    public Task ForgetAsync(string resource, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return backend.ForgetAsync(resource, cancellationToken);
    }
}
