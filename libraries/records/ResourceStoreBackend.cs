namespace EdgeKv.Records;

/// <summary>
/// Where <see cref="ResourceStore"/> keeps its records: <see cref="Sqlite.SqliteResourceStore"/> (one file, one host)
/// or <see cref="Shared.TableResourceStore"/> (the app's storage account, several hosts). Each implements the same
/// contract, which the store contract tests run on both.
/// </summary>
public abstract class ResourceStoreBackend : IDisposable
{
    /// <summary>
    /// The schema versions applied when the store was opened (empty when it was up to date, or has no schema).
    /// </summary>
    public virtual IReadOnlyList<int> AppliedMigrations => [];

    public abstract Task<ResourceRecord?> GetAsync(string name, CancellationToken cancellationToken);

    public abstract Task<ResourceRecord?> FindByDeviceCredentialHashAsync(string credentialHash,
        CancellationToken cancellationToken);

    public abstract Task<ResourceRecord?> FindByVaultIdAsync(string vaultId, CancellationToken cancellationToken);

    public abstract Task<IReadOnlyList<ResourceRecord>> ListPageAsync(string? afterName, int limit,
        CancellationToken cancellationToken);

    public abstract Task<IReadOnlyList<string?>> PageStartsAsync(int pageSize, CancellationToken cancellationToken);

    public abstract Task<bool> DeleteAsync(string name, CancellationToken cancellationToken);

    public abstract Task<bool> TryAddAsync(ResourceRecord record, CancellationToken cancellationToken);

    /// <summary>
    /// Applies <paramref name="change"/> to the current record atomically: no other write to the record lands between
    /// the read <paramref name="change"/> sees and the write of its result (which may mean running it again on a newer
    /// record).
    /// </summary>
    public abstract Task<ResourceRecord?> UpdateAsync(string name, Func<ResourceRecord, ResourceRecord> change,
        CancellationToken cancellationToken);

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }
}
