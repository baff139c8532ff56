namespace EdgeKv.Records.Sweeps;

/// <summary>
/// Where <see cref="SweepHistoryStore"/> keeps sweeps: <see cref="Sqlite.SqliteSweepHistoryStore"/> or
/// <see cref="Shared.TableSweepHistoryStore"/>. Both keep one record per sweep id however many hosts write it at once.
/// </summary>
public abstract class SweepHistoryStoreBackend
{
    public abstract Task<bool> RecordAsync(SweepRecord sweep, CancellationToken cancellationToken);

    public abstract Task<IReadOnlyList<(long Position, SweepRecord Sweep)>> QueryPageAsync(DateTimeOffset? since,
        long? after, int limit, CancellationToken cancellationToken);
}
