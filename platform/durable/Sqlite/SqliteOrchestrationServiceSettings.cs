namespace EdgeKv.Durable.Sqlite;

/// <summary>Where the task hub lives, how its commits are made durable, and how its hosts share work.</summary>
public sealed class SqliteOrchestrationServiceSettings
{
    /// <summary>
    /// The database file. It is created owner-only (0600 on Unix), with its folder if missing (0700).
    /// </summary>
    public required string DatabasePath { get; set; }

    /// <summary>The task hub's name, as queries filter by it (one database holds one task hub).</summary>
    public string TaskHubName { get; set; } = "default";

    /// <summary>How SQLite makes a commit durable.</summary>
    public SqliteSynchronousMode Synchronous { get; set; } = SqliteSynchronousMode.Normal;

    /// <summary>How long a host holds an instance or an activity before another host may take it over.</summary>
    public TimeSpan WorkItemLockTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Orchestration work items (episodes and extended sessions) a host runs at once.</summary>
    public int MaxConcurrentOrchestrations { get; set; } = 100;

    /// <summary>Activities a host runs at once.</summary>
    public int MaxConcurrentActivities { get; set; } = 100;

    /// <summary>
    /// Whether a host keeps an instance's history in memory between episodes, under the lease it holds, so an
    /// episode runs only the new events instead of replaying the whole history.
    /// </summary>
    public bool ExtendedSessionsEnabled { get; set; } = true;

    /// <summary>How long an extended session waits for new messages before the host lets the instance go.</summary>
    public TimeSpan ExtendedSessionIdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// After this many hand-outs without completing, a message is poison: its activity fails with a
    /// "PoisonMessage" failure, or its orchestration instance fails with one.
    /// </summary>
    public int MaxDequeueCount { get; set; } = 10;

    /// <summary>
    /// The shortest wait between two polls of an idle queue (other processes' writes are seen by polling).
    /// </summary>
    public TimeSpan MinPollingInterval { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>The longest wait between two polls of an idle queue.</summary>
    public TimeSpan MaxPollingInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a writer waits for another process's write lock before failing.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// This host's identity in the leases it takes. Give a stable value (one per host, never two live processes
    /// at once) so that a restarted host can release what its dead predecessor held; the default is unique per
    /// service object, so nothing is released.
    /// </summary>
    public string OwnerId { get; set; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    /// <summary>
    /// Whether <see cref="SqliteOrchestrationService.StartAsync"/> releases the leases still held under
    /// <see cref="OwnerId"/>: they belong to a previous process of this host that died, so its work is taken over at
    /// once instead of after <see cref="WorkItemLockTimeout"/>.
    /// </summary>
    public bool ReleaseOwnLeasesOnStart { get; set; } = true;

    /// <summary>The clock for leases, timers and timestamps.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(DatabasePath)) throw new ArgumentException("DatabasePath is required.",
            nameof(DatabasePath));
        if (string.IsNullOrWhiteSpace(TaskHubName)) throw new ArgumentException("TaskHubName is required.",
            nameof(TaskHubName));
        if (string.IsNullOrWhiteSpace(OwnerId)) throw new ArgumentException("OwnerId is required.", nameof(OwnerId));
        if (WorkItemLockTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(WorkItemLockTimeout),
            "The lease must be positive.");
        if (MaxConcurrentOrchestrations < 1) throw new ArgumentOutOfRangeException(nameof(MaxConcurrentOrchestrations),
            "At least 1.");
        if (MaxConcurrentActivities < 1) throw new ArgumentOutOfRangeException(nameof(MaxConcurrentActivities),
            "At least 1.");
        if (MaxDequeueCount < 1) throw new ArgumentOutOfRangeException(nameof(MaxDequeueCount), "At least 1.");
        if (MinPollingInterval <= TimeSpan.Zero || MaxPollingInterval < MinPollingInterval)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxPollingInterval),
                "Polling bounds must be positive, the maximum not below the minimum.");
        }
    }
}
