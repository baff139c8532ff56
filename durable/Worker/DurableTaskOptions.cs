namespace EdgeKv.Durable;

/// <summary>
/// Runtime settings, bound from host.json's <c>extensions:durableTask</c> section with the names Durable
/// Functions uses where it has one.
/// </summary>
public sealed class DurableTaskOptions
{
    public const string SectionName = "extensions:durableTask";

    /// <summary>The task hub: one SQLite file (or PostgreSQL schema) per hub.</summary>
    public string HubName { get; set; } = "EdgeKvHub";

    public int MaxConcurrentActivityFunctions { get; set; } = 16;

    public int MaxConcurrentOrchestratorFunctions { get; set; } = 16;

    /// <summary>How long a leased work item stays invisible to other dispatchers; in-flight activities renew it.</summary>
    public TimeSpan WorkItemLease { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>After this many failed hand-outs a message is poison: its instance (or activity) fails with the reason.</summary>
    public int MaxDequeueCount { get; set; } = 10;

    /// <summary>The longest an idle dispatcher waits before looking at the store again (work from other processes).</summary>
    public TimeSpan MaxPollingInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>On shutdown, in-flight activities get this long to finish; the rest are released for another host.</summary>
    public TimeSpan ShutdownGracePeriod { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How many running instances keep their replayed state in memory between episodes.</summary>
    public int ExtendedSessionCacheSize { get; set; } = 2000;

    /// <summary>Which store holds the task hub and how durable its commits are (host.json <c>storageProvider</c>).</summary>
    public StorageProviderOptions StorageProvider { get; set; } = new();

    /// <summary>Names this process in leases, so a lease shows who holds it.</summary>
    public string WorkerId { get; set; } = $"{Environment.MachineName}:{Environment.ProcessId}";

    public void Validate()
    {
        if (!StorageProvider.IsSqlite && !StorageProvider.IsPostgres)
        {
            throw new InvalidOperationException($"extensions:durableTask:storageProvider:type '{StorageProvider.Type}' is not supported; use 'sqlite' or 'postgres'.");
        }

        if (StorageProvider.IsPostgres && string.IsNullOrWhiteSpace(StorageProvider.ConnectionStringName))
        {
            throw new InvalidOperationException("extensions:durableTask:storageProvider:connectionStringName names the setting that holds the PostgreSQL connection string.");
        }

        if (string.IsNullOrWhiteSpace(HubName) || HubName.Any(c => !char.IsAsciiLetterOrDigit(c) && c != '-' && c != '_'))
        {
            throw new InvalidOperationException($"extensions:durableTask:hubName '{HubName}' must be letters, digits, '-' or '_'.");
        }

        if (MaxConcurrentActivityFunctions < 1 || MaxConcurrentOrchestratorFunctions < 1)
        {
            throw new InvalidOperationException("extensions:durableTask concurrency limits must be at least 1.");
        }

        if (MaxDequeueCount < 1) throw new InvalidOperationException("extensions:durableTask:maxDequeueCount must be at least 1.");
        if (WorkItemLease < TimeSpan.FromSeconds(1)) throw new InvalidOperationException("extensions:durableTask:workItemLease must be at least one second.");
    }
}

/// <summary>
/// The task hub's store. SQLite is embedded (one host, or hosts sharing a disk); its durability is a trade of commit rate
/// against power-loss safety. PostgreSQL serves several hosts: the hub's tables live in a schema named after the hub.
/// </summary>
public sealed class StorageProviderOptions
{
    public string Type { get; set; } = "sqlite";

    /// <summary>For <c>postgres</c>: the app setting (or <c>ConnectionStrings</c> entry) holding the Npgsql connection string.</summary>
    public string ConnectionStringName { get; set; } = "EdgeKvTaskHub";

    internal bool IsSqlite => string.Equals(Type, "sqlite", StringComparison.OrdinalIgnoreCase);

    internal bool IsPostgres => string.Equals(Type, "postgres", StringComparison.OrdinalIgnoreCase) || string.Equals(Type, "postgresql", StringComparison.OrdinalIgnoreCase);

    /// <summary>Normal (WAL, survives a killed process; the default) or Full (also survives power loss).</summary>
    public Storage.Sqlite.SqliteDurability Synchronous { get; set; } = Storage.Sqlite.SqliteDurability.Normal;
}
