namespace EdgeKv.Records;

/// <summary>
/// EdgeKv's own store of <see cref="ResourceRecord"/>s. By default a SQLite file beside the task hub; with several
/// hosts, Table storage in the app's storage account (<see cref="Shared.TableResourceStore"/>), chosen by
/// configuration. Updates are atomic read-modify-writes on either.
/// </summary>
public sealed class ResourceStore : IDisposable
{
    private readonly ResourceStoreBackend backend;

    /// <summary>The embedded store: a SQLite file (WAL), schema migrated on open.</summary>
    public ResourceStore(ResourceStoreOptions options, TimeProvider time)
        : this(new Sqlite.SqliteResourceStore(options, time))
    {
    }

    public ResourceStore(ResourceStoreBackend backend)
    {
        ArgumentNullException.ThrowIfNull(backend);
        this.backend = backend;
    }

    /// <summary>The schema versions applied when this store was opened (empty when it was up to date).</summary>
    public IReadOnlyList<int> AppliedMigrations => backend.AppliedMigrations;

    public Task<ResourceRecord?> GetAsync(string name,
        CancellationToken cancellationToken = default) => backend.GetAsync(name, cancellationToken);

    /// <summary>
    /// The record whose current or pending device credential has this hash (indexed lookups: device sign-in reads one
    /// row, not the fleet).
    /// </summary>
    public Task<ResourceRecord?> FindByDeviceCredentialHashAsync(string credentialHash,
        CancellationToken cancellationToken = default) =>
        backend.FindByDeviceCredentialHashAsync(credentialHash, cancellationToken);

    /// <summary>The record of the resource whose vault has this id (an index on the vault id, any case).</summary>
    public Task<ResourceRecord?> FindByVaultIdAsync(string vaultId, CancellationToken cancellationToken = default) =>
        backend.FindByVaultIdAsync(vaultId, cancellationToken);

    /// <summary>
    /// A page of records in name order after <paramref name="afterName"/> (keyset paging, for sweeps over many
    /// resources).
    /// </summary>
    public Task<IReadOnlyList<ResourceRecord>> ListPageAsync(string? afterName, int limit,
        CancellationToken cancellationToken = default) =>
        backend.ListPageAsync(afterName, limit, cancellationToken);

    /// <summary>
    /// The names that start each page of <paramref name="pageSize"/> records (the first is null), without reading
    /// documents.
    /// </summary>
    public Task<IReadOnlyList<string?>> PageStartsAsync(int pageSize, CancellationToken cancellationToken = default) =>
        backend.PageStartsAsync(pageSize, cancellationToken);

    /// <summary>Removes a record; false when there was none.</summary>
    public Task<bool> DeleteAsync(string name,
        CancellationToken cancellationToken = default) => backend.DeleteAsync(name, cancellationToken);

    /// <summary>Adds a record; false when the name or the resource id is already recorded.</summary>
    public Task<bool> TryAddAsync(ResourceRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return backend.TryAddAsync(record, cancellationToken);
    }

    /// <summary>
    /// Applies <paramref name="change"/> to the current record atomically; null when there is no such record. On the
    /// shared store <paramref name="change"/> may run more than once (a lost race re-reads and re-applies it), so it
    /// must be a pure function of the record it is given.
    /// </summary>
    public Task<ResourceRecord?> UpdateAsync(string name, Func<ResourceRecord, ResourceRecord> change,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        return backend.UpdateAsync(name, change, cancellationToken);
    }

    public void Dispose() => backend.Dispose();
}
