namespace EdgeKv.Records.Sweeps;

/// <summary>
/// Where <see cref="SweepCheckStore"/> keeps its states: <see cref="Sqlite.SqliteSweepCheckStore"/> or <see
/// cref="Shared.TableSweepCheckStore"/>.
/// </summary>
public abstract class SweepCheckStoreBackend
{
    public abstract Task<IReadOnlyDictionary<string, SweepCheckState>> GetAsync(IReadOnlyCollection<string> names,
        CancellationToken cancellationToken);

    public abstract Task SaveAsync(IReadOnlyCollection<SweepCheckState> states, CancellationToken cancellationToken);

    public abstract Task MarkDirtyAsync(string name, DateTimeOffset at, CancellationToken cancellationToken);
}
