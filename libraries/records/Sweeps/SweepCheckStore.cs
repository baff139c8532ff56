namespace EdgeKv.Records.Sweeps;

/// <summary>
/// The health sweep's memory between sweeps (<see cref="SweepCheckState"/> per resource): by default in the SQLite file
/// of the resource records (table <c>sweep_checks</c>), with several hosts in Table storage. A page of the sweep reads
/// its resources' states in one query and writes back only those that changed (a steady sweep writes nothing); event
/// handlers mark a resource so that the next sweep reads it again.
/// </summary>
public sealed class SweepCheckStore
{
    private readonly SweepCheckStoreBackend backend;

    /// <summary>The embedded store, in the SQLite file of the resource records.</summary>
    public SweepCheckStore(ResourceStoreOptions options, TimeProvider time)
        : this(new Sqlite.SqliteSweepCheckStore(options, time))
    {
    }

    public SweepCheckStore(SweepCheckStoreBackend backend)
    {
        ArgumentNullException.ThrowIfNull(backend);
        this.backend = backend;
    }

    /// <summary>The states of those of <paramref name="names"/> that have one, by name (without case).</summary>
    public Task<IReadOnlyDictionary<string, SweepCheckState>> GetAsync(IReadOnlyCollection<string> names,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(names);
        return names.Count == 0
            ? Task.FromResult<IReadOnlyDictionary<string, SweepCheckState>>(new Dictionary<string, SweepCheckState>(StringComparer.OrdinalIgnoreCase))
            : backend.GetAsync(names, cancellationToken);
    }

    /// <summary>
    /// Writes the sweep's part of each state (everything but <see cref="SweepCheckState.DirtyAt"/>), creating what is
    /// missing.
    /// </summary>
    public Task SaveAsync(IReadOnlyCollection<SweepCheckState> states, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(states);
        return states.Count == 0 ? Task.CompletedTask : backend.SaveAsync(states, cancellationToken);
    }

    /// <summary>
    /// Marks the resource to be read again by the next sweep (an event reported a change), whatever its schedule.
    /// </summary>
    public Task MarkDirtyAsync(string name, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return backend.MarkDirtyAsync(name, at, cancellationToken);
    }
}
