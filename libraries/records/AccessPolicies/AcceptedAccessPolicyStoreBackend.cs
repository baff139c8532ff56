namespace EdgeKv.Records.AccessPolicies;

/// <summary>
/// Where <see cref="AcceptedAccessPolicyStore"/> keeps accepted entries: <see
/// cref="Sqlite.SqliteAcceptedAccessPolicyStore"/> or <see cref="Shared.TableAcceptedAccessPolicyStore"/>. Both keep
/// one entry per resource and principal (without case).
/// </summary>
public abstract class AcceptedAccessPolicyStoreBackend
{
    public abstract Task AcceptAsync(AcceptedAccessPolicy accepted, CancellationToken cancellationToken);

    public abstract Task<IReadOnlyList<AcceptedAccessPolicy>> ListAsync(string resource,
        CancellationToken cancellationToken);

    public abstract Task ForgetAsync(string resource, CancellationToken cancellationToken);
}
