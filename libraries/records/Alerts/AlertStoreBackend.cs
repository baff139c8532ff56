namespace EdgeKv.Records.Alerts;

/// <summary>
/// Where <see cref="AlertStore"/> keeps alerts: <see cref="Sqlite.SqliteAlertStore"/> or <see
/// cref="Tables.TableAlertStore"/>. Both keep at most one active alert per resource, kind and principal, however many
/// hosts raise it at once. Principals arrive in lower case (<see cref="AlertStore"/> folds them).
/// </summary>
public abstract class AlertStoreBackend : IDisposable
{
    public abstract Task<AlertChange> RaiseAsync(AlertObservation observation, CancellationToken cancellationToken);

    /// <summary>
    /// Raises or updates every observation, then resolves each active alert of <paramref name="checkedResources"/>
    /// whose kind is in <paramref name="checkedKinds"/> and that no observation names (resource, kind, principal).
    /// </summary>
    public abstract Task<IReadOnlyList<AlertChange>> ApplySweepAsync(IReadOnlyCollection<string> checkedResources,
        IReadOnlyCollection<AlertKind> checkedKinds, IReadOnlyList<AlertObservation> observations,
        CancellationToken cancellationToken);

    /// <summary>
    /// Resolves the active alerts of the resource of <paramref name="kinds"/>: every principal's, or only
    /// <paramref name="principal"/>'s when given.
    /// </summary>
    public abstract Task<IReadOnlyList<AlertChange>> ResolveAsync(string resource, IReadOnlyCollection<AlertKind> kinds,
        string? principal, CancellationToken cancellationToken);

    /// <summary>The alert with that id; null when there is none.</summary>
    public abstract Task<Alert?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Writes an alert carried over from elsewhere under its own id, unless one with that id exists (then false). An
    /// active one whose resource, kind and principal already have an active alert is written resolved instead.
    /// </summary>
    public abstract Task<bool> ImportAsync(Alert alert, CancellationToken cancellationToken);

    public abstract Task<IReadOnlyList<(long Position, Alert Alert)>> QueryPageAsync(string? resource,
        AlertSeverity? severity, AlertState? state, IReadOnlyCollection<AlertKind>? kinds, long? after, int limit,
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
