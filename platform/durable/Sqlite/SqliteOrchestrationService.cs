using System.Collections.Concurrent;
using DurableTask.Core;
using DurableTask.Core.Exceptions;
using DurableTask.Core.Query;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeKv.Durable.Sqlite;

/// <summary>
/// The embedded task hub: the Durable Task Framework's storage provider (worker side and client side in one object,
/// as durabletask-mssql is built) over one SQLite file in WAL mode. Instances and activities are leased with an owner
/// and an expiry; a host whose lease ran out finds out at its next commit (the lease token changed or a history key
/// conflicts) and abandons its work item instead of overwriting the new holder's work.
/// </summary>
public sealed partial class SqliteOrchestrationService :
    IOrchestrationService,
    IOrchestrationServiceClient,
    IOrchestrationServiceQueryClient,
    IOrchestrationServicePurgeClient,
    IAsyncDisposable
{
    private static readonly OrchestrationStatus[] ActiveStatuses = [OrchestrationStatus.Pending,
        OrchestrationStatus.Running, OrchestrationStatus.Suspended];
    private static readonly OrchestrationStatus[] TerminalStatuses = [OrchestrationStatus.Completed,
        OrchestrationStatus.Failed, OrchestrationStatus.Terminated, OrchestrationStatus.Canceled];

    private readonly SqliteOrchestrationServiceSettings _settings;
    private readonly TaskHubDatabase _db;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly AsyncSignal _orchestrationsReady = new();
    private readonly AsyncSignal _activitiesReady = new();
    private readonly ConcurrentDictionary<string, SessionInbox> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<SqliteActivityWorkItem> _localActivities = new();
    private readonly ConcurrentQueue<LockedInstance> _localInstances = new();
    private readonly ConcurrentDictionary<string, AsyncSignal> _completionSignals = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<SqliteOrchestrationWorkItem, byte> _heldInstances = new();
    private readonly ConcurrentDictionary<SqliteActivityWorkItem, byte> _runningActivities = new();

    // The messages of activities this process stored beyond its local queue, by row: leased back by this process,
    // they need no deserialization. Rows another host leases (or that go with a finished instance) leave entries
    // behind; the lease keeper drops them all when a round of it passes with the count unchanged.
    private const int MaxStoredActivitiesKept = 10_000;
    private readonly StoredActivities _storedActivities = new(MaxStoredActivitiesKept);
    private Task _leaseKeeper = Task.CompletedTask;
    private CancellationTokenSource _shutdown = new();

    // 1 when activities may wait in the table unleased because of this process (stored beyond the local queue,
    // abandoned, released); the activity fetch then reads the table at once instead of at its next poll.
    private int _activitiesStored = 1;
    private long _activityPollDueAt;

    // Across fetches (the framework's one activity dispatcher calls them one after another): the table's polls back off
    // while it stays empty, whatever the local queue does meanwhile.
    private readonly PollingBackoff _activityBackoff;
    private int _disposed;

    public SqliteOrchestrationService(SqliteOrchestrationServiceSettings settings, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        _settings = settings;
        _time = settings.TimeProvider;
        _db = new TaskHubDatabase(settings);
        _activityBackoff = new PollingBackoff(settings.MinPollingInterval, settings.MaxPollingInterval);
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("EdgeKv.Durable.Sqlite");
    }

    /// <summary>The settings this service runs with.</summary>
    public SqliteOrchestrationServiceSettings Settings => _settings;

    public int TaskOrchestrationDispatcherCount => 1;

    public int MaxConcurrentTaskOrchestrationWorkItems => _settings.MaxConcurrentOrchestrations;

    /// <summary>Events that arrive while an instance continues as new are kept for the new execution.</summary>
    public BehaviorOnContinueAsNew EventBehaviourForContinueAsNew => BehaviorOnContinueAsNew.Carryover;

    public int TaskActivityDispatcherCount => 1;

    public int MaxConcurrentTaskActivityWorkItems => _settings.MaxConcurrentActivities;

    public Task CreateAsync() => CreateAsync(recreateInstanceStore: false);

    public async Task CreateAsync(bool recreateInstanceStore)
    {
        await OpenAsync();
        if (recreateInstanceStore) await _db.ClearAsync();
    }

    public Task CreateIfNotExistsAsync() => OpenAsync();

    public Task DeleteAsync() => DeleteAsync(deleteInstanceStore: true);

    /// <summary>Deletes every instance, message and activity of the task hub (the file and its schema stay).</summary>
    public async Task DeleteAsync(bool deleteInstanceStore)
    {
        await OpenAsync();
        await _db.ClearAsync();
    }

    /// <summary>
    /// Opens the task hub and, with <see cref="SqliteOrchestrationServiceSettings.ReleaseOwnLeasesOnStart"/>,
    /// releases the leases a dead previous process of this owner still holds, so its work resumes at once.
    /// </summary>
    public async Task StartAsync()
    {
        await OpenAsync();
        CancellationTokenSource previous = Interlocked.Exchange(ref _shutdown, new CancellationTokenSource());
        previous.Dispose();
        if (_settings.ReleaseOwnLeasesOnStart) await ReleaseLeasesOfOwnerAsync(_settings.OwnerId);
        _leaseKeeper = KeepLeasesAsync(_shutdown.Token);
    }

    /// <summary>
    /// Releases every lease held under <paramref name="ownerId"/> (instances and activities), for a host known to be
    /// dead: its work is taken over at once instead of when the leases expire. Returns the number released.
    /// </summary>
    public async Task<int> ReleaseLeasesOfOwnerAsync(string ownerId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ownerId);
        await OpenAsync();
        (int instances, int activities) = await _db.WriteAsync(tx => (
            _db.Exec(tx, "UPDATE instances SET lock_token = NULL, lock_owner = NULL, lock_expires_at = NULL WHERE lock_owner = $o", ("$o", ownerId)),
            _db.Exec(tx, "UPDATE activity_tasks SET lock_token = NULL, lock_owner = NULL, lock_expires_at = NULL WHERE lock_owner = $o", ("$o", ownerId))));
        if (instances + activities > 0)
        {
            Logs.LeasesReleased(_logger, _settings.TaskHubName, ownerId, instances, activities);
            _orchestrationsReady.Set();
            ActivitiesStored();
        }

        return instances + activities;
    }

    public Task StopAsync() => StopAsync(isForced: false);

    /// <summary>
    /// Stops handing out work (pollers return empty); the database stays open for clients until disposed.
    /// </summary>
    public async Task StopAsync(bool isForced)
    {
        await _shutdown.CancelAsync();
        await _leaseKeeper;
        await ReleaseLocalActivitiesAsync();
        await ReleaseLocalInstancesAsync();
        _orchestrationsReady.Set();
        _activitiesReady.Set();
    }

    public bool IsMaxMessageCountExceeded(int currentMessageCount, OrchestrationRuntimeState runtimeState) => false;

    public int GetDelayInSecondsAfterOnProcessException(Exception exception) =>
        exception is OperationCanceledException or SessionAbortedException ? 0 : 1;

    public int GetDelayInSecondsAfterOnFetchException(Exception exception) => exception is OperationCanceledException ? 0 : 1;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _shutdown.CancelAsync();
        await _leaseKeeper;
        await _db.DisposeAsync();
        _shutdown.Dispose();
    }

    private async Task OpenAsync()
    {
        if (_db.IsOpen) return;
        int applied = await _db.OpenAsync();
        if (applied > 0) Logs.SchemaApplied(_logger, _settings.TaskHubName, applied, SchemaScripts.LatestVersion);
    }

    private long Now() => _time.GetUtcNow().UtcTicks;

    private DateTime NowUtc() => _time.GetUtcNow().UtcDateTime;

    private static bool IsTerminal(OrchestrationStatus status) => Array.IndexOf(TerminalStatuses, status) >= 0;

    /// <summary>Wakes this process's pollers and the instance's extended session, if one waits.</summary>
    private void NotifyInstances(IEnumerable<string> instanceIds)
    {
        bool forPollers = false;
        foreach (string id in instanceIds)
        {
            // An instance in a session of this process is fetched by that session, not by the pollers.
            if (_sessions.TryGetValue(id, out SessionInbox? session)) session.Signal.Set();
            else forPollers = true;
        }

        if (forPollers) _orchestrationsReady.Set();
    }

    private void NotifyCompleted(string instanceId)
    {
        // One-shot: the waiters re-read the state and, if it is not final after all, register a fresh signal.
        if (_completionSignals.TryRemove(instanceId, out AsyncSignal? signal)) signal.Set();
    }

    /// <summary>The shutdown token joined with the caller's.</summary>
    private CancellationTokenSource Linked(CancellationToken cancellationToken) =>
        CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _shutdown.Token);
}
