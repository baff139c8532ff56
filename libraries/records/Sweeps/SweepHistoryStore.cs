namespace EdgeKv.Records.Sweeps;

/// <summary>
/// The health sweep's history: by default in the same SQLite file as the resource records, with several hosts in Table
/// storage (<see cref="Shared.TableSweepHistoryStore"/>). One record per sweep, written once by the sweep's last step
/// and pruned to the <see cref="SweepRetention"/> on each write, read in the order they were written.
/// </summary>
public sealed class SweepHistoryStore
{
    private readonly SweepHistoryStoreBackend backend;

    /// <summary>The embedded store, in the SQLite file of the resource records.</summary>
    public SweepHistoryStore(ResourceStoreOptions options, SweepRetention retention, TimeProvider time)
        : this(new Sqlite.SqliteSweepHistoryStore(options, retention, time))
    {
    }

    public SweepHistoryStore(SweepHistoryStoreBackend backend)
    {
        ArgumentNullException.ThrowIfNull(backend);
        this.backend = backend;
    }

    /// <summary>
    /// Records a sweep unless its id is already recorded, then prunes what falls outside the retention. True when this
    /// call added it (false: a retried write of the same sweep, from this host or another).
    /// </summary>
    public Task<bool> RecordAsync(SweepRecord sweep, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        return backend.RecordAsync(sweep, cancellationToken);
    }

    /// <summary>
    /// Up to <paramref name="limit"/> sweeps that started at or after <paramref name="since"/> (all when null), after
    /// position <paramref name="after"/>, in the order they were recorded, each with its position (record order).
    /// </summary>
    public Task<IReadOnlyList<(long Position, SweepRecord Sweep)>> QueryPageAsync(DateTimeOffset? since, long? after,
        int limit,
        CancellationToken cancellationToken = default) =>
        backend.QueryPageAsync(since, after, limit, cancellationToken);

    /// <summary>The retention every backend checks at construction: at least one entry, a positive age.</summary>
    internal static void Validate(SweepRetention retention)
    {
        ArgumentNullException.ThrowIfNull(retention);
        ArgumentOutOfRangeException.ThrowIfLessThan(retention.MaxEntries, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(retention.MaxAge, TimeSpan.Zero);
    }
}
