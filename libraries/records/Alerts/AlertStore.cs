namespace EdgeKv.Records.Alerts;

/// <summary>
/// EdgeKv's alerts: by default in the same SQLite file as the resource records, with several hosts in Table storage
/// (<see cref="Shared.TableAlertStore"/>). Raising an alert that is already active updates it (last seen, finding,
/// count); a sweep's results for a set of resources resolve what is no longer found.
/// </summary>
public sealed class AlertStore : IDisposable
{
    private readonly AlertStoreBackend backend;

    /// <summary>The embedded store, in the SQLite file of the resource records.</summary>
    public AlertStore(ResourceStoreOptions options, TimeProvider time)
        : this(new Sqlite.SqliteAlertStore(options, time))
    {
    }

    public AlertStore(AlertStoreBackend backend)
    {
        ArgumentNullException.ThrowIfNull(backend);
        this.backend = backend;
    }

    /// <summary>Raises (or, when already active, updates) one alert.</summary>
    public async Task<AlertChange> RaiseAsync(AlertObservation observation,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(observation);
        AlertChange change = await backend.RaiseAsync(observation, cancellationToken);
        AlertMetrics.Committed([change]);
        return change;
    }

    /// <summary>
    /// Applies one sweep's findings for <paramref name="checkedResources"/>: every observation raises or updates its
    /// alert; every active alert of those resources whose kind was not observed is resolved.
    /// </summary>
    public async Task<IReadOnlyList<AlertChange>> ApplySweepAsync(IReadOnlyCollection<string> checkedResources,
        IReadOnlyList<AlertObservation> observations,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkedResources);
        ArgumentNullException.ThrowIfNull(observations);
        IReadOnlyList<AlertChange> changes = await backend.ApplySweepAsync(checkedResources, observations,
            cancellationToken);
        AlertMetrics.Committed(changes);
        return changes;
    }

    /// <summary>Resolves the active alerts of a resource of the given kinds (a healing flow finished).</summary>
    public async Task<IReadOnlyList<AlertChange>> ResolveAsync(string resource, IReadOnlyCollection<AlertKind> kinds,
        CancellationToken cancellationToken = default)
    {
        IReadOnlyList<AlertChange> changes = await backend.ResolveAsync(resource, kinds, cancellationToken);
        AlertMetrics.Committed(changes);
        return changes;
    }

    /// <summary>
    /// Up to <paramref name="limit"/> alerts after <paramref name="after"/> in the order they were first raised, each
    /// with its position (insertion order, so a page boundary never moves when alerts are updated).
    /// </summary>
    public Task<IReadOnlyList<(long Position, Alert Alert)>> QueryPageAsync(string? resource, AlertSeverity? severity,
        AlertState? state, long? after, int limit,
        CancellationToken cancellationToken = default) =>
        backend.QueryPageAsync(resource, severity, state, after, limit, cancellationToken);

    /// <summary>
    /// When each alert raised or resolved at or after <paramref name="since"/> was raised and resolved (with its
    /// resource, so a scoped reader's view can be filtered): what a timeline of raised and resolved alerts counts.
    /// </summary>
    public Task<IReadOnlyList<AlertTimes>> ChangedSinceAsync(DateTimeOffset since,
        CancellationToken cancellationToken = default) =>
        backend.ChangedSinceAsync(since, cancellationToken);

    public void Dispose() => backend.Dispose();
}
