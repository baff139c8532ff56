using Microsoft.Extensions.Configuration;

namespace EdgeKv.Durable.Hosting;

/// <summary>
/// The task hub. What Durable Functions defines is bound from host.json's <c>extensions:durableTask</c> with its names:
/// <c>hubName</c>, <c>maxConcurrentActivityFunctions</c>, <c>maxConcurrentOrchestratorFunctions</c>,
/// <c>extendedSessionsEnabled</c>, <c>extendedSessionIdleTimeoutInSeconds</c>, <c>storageProvider:connectionName</c>.
/// What only this host has (which provider it runs, its leases, poison threshold and SQLite durability) are app
/// settings in <see cref="LocalSectionName"/>: the Functions host's Durable extension defines none of them, so they
/// stay out of host.json, where Azure reads it.
/// </summary>
public sealed class DurableTaskHubOptions
{
    public const string SectionName = "extensions:durableTask";

    /// <summary>
    /// App settings of this host's own task hub choices: <c>StorageProvider</c> (<c>Sqlite</c> or <c>AzureStorage</c>),
    /// <c>WorkItemLease</c>, <c>MaxDequeueCount</c>, <c>Synchronous</c>; for Azure Storage also <c>WorkerId</c>,
    /// <c>PartitionLeaseInterval</c>, <c>PartitionLeaseRenewInterval</c>, <c>ControlQueueVisibilityTimeout</c>,
    /// <c>MaxQueuePollingInterval</c>.
    /// </summary>
    public const string LocalSectionName = "EdgeKv:TaskHub";

    public string HubName { get; set; } = "EdgeKvHub";

    public int MaxConcurrentActivityFunctions { get; set; } = 16;

    public int MaxConcurrentOrchestratorFunctions { get; set; } = 16;

    /// <summary>
    /// An episode runs only its new events against the orchestration kept in memory, instead of replaying the whole
    /// history.
    /// </summary>
    public bool ExtendedSessionsEnabled { get; set; } = true;

    public int ExtendedSessionIdleTimeoutInSeconds { get; set; } = 30;

    /// <summary>
    /// How long a leased work item stays invisible to other hosts. A crashed host's work waits this long before another
    /// host takes it (a restarted single host releases its own at once); a host slower than this lets a second one run
    /// it too.
    /// </summary>
    public TimeSpan WorkItemLease { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Azure Storage: this host's name among the hosts sharing the hub. Unset, it is taken from App Service's instance,
    /// or generated once and kept under the data path (<see cref="TaskHubWorkerId"/>).
    /// </summary>
    public string? WorkerId { get; set; }

    /// <summary>
    /// Azure Storage: how long a partition (a control queue) stays a host's after its last renewal. A dead host's
    /// partitions go to the live hosts this long after its last renewal, plus up to one renewal interval.
    /// </summary>
    public TimeSpan PartitionLeaseInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Azure Storage: how often a host renews its partition leases, takes expired ones and rebalances.
    /// </summary>
    public TimeSpan PartitionLeaseRenewInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Azure Storage: how long an orchestration message a host took stays invisible. A dead host's orchestrations
    /// resume once both this and its partition lease have lapsed. One minute is also the least the Durable extension
    /// accepts.
    /// </summary>
    public TimeSpan ControlQueueVisibilityTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Azure Storage: the longest an idle host waits between polls of its queues.</summary>
    public TimeSpan MaxQueuePollingInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>After this many failed hand-outs a message is poison (SQLite provider).</summary>
    public int MaxDequeueCount { get; set; } = 10;

    public StorageProviderOptions StorageProvider { get; set; } = new();

    /// <summary>
    /// The options from both places: host.json's Durable names, then this host's own app settings over them.
    /// </summary>
    public static DurableTaskHubOptions From(IConfiguration configuration)
    {
        var options = new DurableTaskHubOptions();
        options.Bind(configuration);
        return options;
    }

    public void Bind(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        configuration.GetSection(SectionName).Bind(this);
        IConfigurationSection local = configuration.GetSection(LocalSectionName);
        // host.json's storageProvider:type is the Functions host's (AzureStorage in Azure); this host runs the one its
        // own setting names.
        StorageProvider.Type = local["StorageProvider"] ?? "sqlite";
        StorageProvider.Synchronous = local["Synchronous"] ?? StorageProvider.Synchronous;
        WorkItemLease = local.GetValue(nameof(WorkItemLease), WorkItemLease);
        MaxDequeueCount = local.GetValue(nameof(MaxDequeueCount), MaxDequeueCount);
        WorkerId = local[nameof(WorkerId)] is { Length: > 0 } workerId ? workerId : WorkerId;
        PartitionLeaseInterval = local.GetValue(nameof(PartitionLeaseInterval), PartitionLeaseInterval);
        PartitionLeaseRenewInterval = local.GetValue(nameof(PartitionLeaseRenewInterval), PartitionLeaseRenewInterval);
        ControlQueueVisibilityTimeout = local.GetValue(nameof(ControlQueueVisibilityTimeout),
            ControlQueueVisibilityTimeout);
        MaxQueuePollingInterval = local.GetValue(nameof(MaxQueuePollingInterval), MaxQueuePollingInterval);
    }

    public void Validate()
    {
        if (!StorageProvider.IsSqlite && !StorageProvider.IsAzureStorage)
        {
            throw new InvalidOperationException($"{LocalSectionName}:StorageProvider '{StorageProvider.Type}' is not supported; use 'Sqlite' (the default) or 'AzureStorage'.");
        }

        // Azure Storage names its queues and tables after the hub: 3-45 letters and digits, starting with a letter.
        if (string.IsNullOrWhiteSpace(HubName) || HubName.Length is < 3 or > 45 || !char.IsAsciiLetter(HubName[0]) || !HubName.All(char.IsAsciiLetterOrDigit))
        {
            throw new InvalidOperationException($"extensions:durableTask:hubName '{HubName}' must be 3-45 letters and digits, starting with a letter.");
        }

        if (MaxConcurrentActivityFunctions < 1 || MaxConcurrentOrchestratorFunctions < 1)
        {
            throw new InvalidOperationException("extensions:durableTask concurrency limits must be at least 1.");
        }

        if (MaxDequeueCount < 1) throw new InvalidOperationException($"{LocalSectionName}:MaxDequeueCount must be at least 1.");
        if (WorkItemLease < TimeSpan.FromSeconds(1)) throw new InvalidOperationException($"{LocalSectionName}:WorkItemLease must be at least one second.");
        if (ControlQueueVisibilityTimeout < TimeSpan.FromSeconds(1)) throw new InvalidOperationException($"{LocalSectionName}:ControlQueueVisibilityTimeout must be at least one second.");
        if (MaxQueuePollingInterval < TimeSpan.FromMilliseconds(100)) throw new InvalidOperationException($"{LocalSectionName}:MaxQueuePollingInterval must be at least 100 ms.");
        if (PartitionLeaseRenewInterval < TimeSpan.FromSeconds(1) || PartitionLeaseInterval <= PartitionLeaseRenewInterval)
        {
            // A lease that lapses before its holder renews it changes hands while the holder is alive: the split brain
            // this prevents.
            throw new InvalidOperationException($"{LocalSectionName}:PartitionLeaseRenewInterval must be at least one second and shorter than PartitionLeaseInterval.");
        }

        if (ExtendedSessionIdleTimeoutInSeconds < 1) throw new InvalidOperationException("extensions:durableTask:extendedSessionIdleTimeoutInSeconds must be at least 1.");
    }
}
