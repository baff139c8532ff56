namespace EdgeKv.Records.Alerts;

/// <summary>
/// Where <see cref="AlertStore"/> keeps alerts: <see cref="Sqlite.SqliteAlertStore"/> or <see
/// cref="Shared.TableAlertStore"/>. Both keep at most one active alert per resource and kind, however many hosts raise
/// it at once.
/// </summary>
public abstract class AlertStoreBackend : IDisposable
{
    public abstract Task<AlertChange> RaiseAsync(AlertObservation observation, CancellationToken cancellationToken);

    public abstract Task<IReadOnlyList<AlertChange>> ApplySweepAsync(IReadOnlyCollection<string> checkedResources,
        IReadOnlyList<AlertObservation> observations,
        CancellationToken cancellationToken);

    public abstract Task<IReadOnlyList<AlertChange>> ResolveAsync(string resource, IReadOnlyCollection<AlertKind> kinds,
        CancellationToken cancellationToken);

    public abstract Task<IReadOnlyList<(long Position, Alert Alert)>> QueryPageAsync(string? resource,
        AlertSeverity? severity, AlertState? state, long? after, int limit,
        CancellationToken cancellationToken);

    /// <summary>
    /// The raise and resolve times of every alert raised or resolved at or after <paramref name="since"/>.
    /// </summary>
    public abstract Task<IReadOnlyList<AlertTimes>> ChangedSinceAsync(DateTimeOffset since,
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
