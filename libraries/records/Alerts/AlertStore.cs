using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeKv.Records.Alerts;

/// <summary>
/// EdgeKv's alerts, health and security alike: by default in the same SQLite file as the resource records, with
/// several hosts in Table storage (<see cref="Tables.TableAlertStore"/>). Raising an alert that is already active
/// (same resource, kind and principal) updates it (last seen, finding, count); a sweep's results for a set of
/// resources resolve what is no longer found of the kinds the sweep checks; flows and the security team resolve the
/// rest. The one place raised alerts are logged: a raised alert of the Security category is a Warning with event id
/// 7030 (the security team's monitoring hook), counted in <see cref="AlertMetrics"/> like every change.
/// </summary>
public sealed partial class AlertStore : IDisposable
{
    private readonly AlertStoreBackend backend;
    private readonly ILogger logger;

    /// <summary>The embedded store, in the SQLite file of the resource records.</summary>
    public AlertStore(ResourceStoreOptions options, TimeProvider time, ILogger<AlertStore>? logger = null)
        : this(new Sqlite.SqliteAlertStore(options, time), logger)
    {
    }

    public AlertStore(AlertStoreBackend backend, ILogger<AlertStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(backend);
        this.backend = backend;
        this.logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>Raises (or, when already active, updates) one alert.</summary>
    public async Task<AlertChange> RaiseAsync(AlertObservation observation,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(observation);
        AlertChange change = await backend.RaiseAsync(Folded(observation), cancellationToken);
        Committed([change]);
        return change;
    }

    /// <summary>
    /// Applies one sweep's findings for <paramref name="checkedResources"/>: every observation raises or updates its
    /// alert; every active alert of those resources of a kind the sweep checks (<see cref="AlertKinds.SweepObserved"/>)
    /// that was not observed is resolved. Alerts of other kinds are left as they are.
    /// </summary>
    public Task<IReadOnlyList<AlertChange>> ApplySweepAsync(IReadOnlyCollection<string> checkedResources,
        IReadOnlyList<AlertObservation> observations,
        CancellationToken cancellationToken = default) =>
        ApplyCheckAsync(checkedResources, AlertKinds.SweepObserved, observations, cancellationToken);

    /// <summary>
    /// Applies one check of <paramref name="checkedKinds"/> on <paramref name="checkedResources"/> (a sweep, or a
    /// route or event that judged one kind on one resource): every observation raises or updates its alert; every
    /// active alert of those resources and kinds that was not observed (resource, kind, principal) is resolved.
    /// </summary>
    public async Task<IReadOnlyList<AlertChange>> ApplyCheckAsync(IReadOnlyCollection<string> checkedResources,
        IReadOnlyCollection<AlertKind> checkedKinds, IReadOnlyList<AlertObservation> observations,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkedResources);
        ArgumentNullException.ThrowIfNull(checkedKinds);
        ArgumentNullException.ThrowIfNull(observations);
        if (observations.FirstOrDefault(o => !checkedKinds.Contains(o.Kind)) is { } outside)
        {
            throw new ArgumentException($"An observation of {outside.Kind}, a kind this check does not check.",
                nameof(observations));
        }

        IReadOnlyList<AlertChange> changes = await backend.ApplySweepAsync(checkedResources, checkedKinds,
            [.. observations.Select(Folded)], cancellationToken);
        Committed(changes);
        return changes;
    }

    /// <summary>
    /// Resolves the active alerts of a resource of the given kinds (a healing flow finished): every principal's, or
    /// only <paramref name="principal"/>'s when given.
    /// </summary>
    public async Task<IReadOnlyList<AlertChange>> ResolveAsync(string resource, IReadOnlyCollection<AlertKind> kinds,
        string? principal = null, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<AlertChange> changes = await backend.ResolveAsync(resource, kinds, Fold(principal),
            cancellationToken);
        Committed(changes);
        return changes;
    }

    public Task<IReadOnlyList<AlertChange>> ResolveAsync(string resource, IReadOnlyCollection<AlertKind> kinds,
        CancellationToken cancellationToken) => ResolveAsync(resource, kinds, null, cancellationToken);

    /// <summary>
    /// The alert with that id; null when there is none. An id of a shape EdgeKv never gives (a GUID's 32 hex digits, or
    /// <c>security-{n}</c> for an imported one) is not looked up: a caller's text never reaches a store's query as is.
    /// </summary>
    public Task<Alert?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        return IsWellFormedId(id) ? backend.GetAsync(id, cancellationToken) : Task.FromResult<Alert?>(null);
    }

    private static bool IsWellFormedId(string id) =>
        id.Length is > 0 and <= 64 && id.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');

    /// <summary>
    /// Resolves the alert with that id (the security team reviewed it): the resolved alert, or null when there is no
    /// such alert. An alert already resolved is returned as it is.
    /// </summary>
    public async Task<Alert?> ResolveByIdAsync(string id, CancellationToken cancellationToken = default)
    {
        if (await GetAsync(id, cancellationToken) is not { } alert) return null;
        if (alert.State == AlertState.Active)
        {
            IReadOnlyList<AlertChange> changes = await backend.ResolveAsync(alert.Resource, [alert.Kind],
                alert.Principal, cancellationToken);
            Committed(changes);
        }

        return await GetAsync(id, cancellationToken);
    }

    /// <summary>
    /// Writes an alert carried over from an earlier store under its own id; false when it was carried over before.
    /// </summary>
    public Task<bool> ImportAsync(Alert alert, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return backend.ImportAsync(alert with { Principal = Fold(alert.Principal) }, cancellationToken);
    }

    /// <summary>
    /// Up to <paramref name="limit"/> alerts after <paramref name="after"/> in the order they were first raised, each
    /// with its position (insertion order, so a page boundary never moves when alerts are updated).
    /// </summary>
    public Task<IReadOnlyList<(long Position, Alert Alert)>> QueryPageAsync(string? resource, AlertSeverity? severity,
        AlertState? state, long? after, int limit, AlertCategory? category = null,
        CancellationToken cancellationToken = default) =>
        backend.QueryPageAsync(resource, severity, state,
            category is { } c ? AlertKinds.OfCategory(c) : null, after, limit, cancellationToken);

    /// <summary>
    /// When each alert raised or resolved at or after <paramref name="since"/> was raised and resolved (with its
    /// resource, so a scoped reader's view can be filtered): what a timeline of raised and resolved alerts counts.
    /// </summary>
    public Task<IReadOnlyList<AlertTimes>> ChangedSinceAsync(DateTimeOffset since,
        CancellationToken cancellationToken = default) =>
        backend.ChangedSinceAsync(since, cancellationToken);

    public void Dispose() => backend.Dispose();

    private void Committed(IReadOnlyList<AlertChange> changes)
    {
        AlertMetrics.Committed(changes);
        foreach (AlertChange change in changes)
        {
            if (change.Change == AlertChangeKind.Raised && AlertKinds.CategoryOf(change.Kind) == AlertCategory.Security)
            {
                LogSecurityAlert(logger, change.Kind, change.Resource, change.Principal, change.AlertId);
            }
        }
    }

    /// <summary>Principals are Entra object ids, compared without case: stored in lower case.</summary>
    private static string? Fold(string? principal) => principal?.ToLowerInvariant();

    private static AlertObservation Folded(AlertObservation o) => o with { Principal = Fold(o.Principal) };

    [LoggerMessage(7030, LogLevel.Warning,
        "Security alert {Kind} on {Resource} involving {Principal} (alert {AlertId}).")]
    private static partial void LogSecurityAlert(ILogger logger, AlertKind kind, string resource, string? principal,
        string alertId);
}
