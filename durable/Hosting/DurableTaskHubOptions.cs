using Microsoft.Extensions.Configuration;

namespace EdgeKv.Durable.Hosting;

/// <summary>
/// The task hub. What Durable Functions defines is bound from host.json's <c>extensions:durableTask</c> with its names:
/// <c>hubName</c>, <c>maxConcurrentActivityFunctions</c>, <c>maxConcurrentOrchestratorFunctions</c>,
/// <c>extendedSessionsEnabled</c>, <c>extendedSessionIdleTimeoutInSeconds</c>, <c>storageProvider:connectionName</c>.
/// What only this host has (which provider it runs, its leases, poison threshold and SQLite durability) are app settings
/// in <see cref="LocalSectionName"/>: the Functions host's Durable extension defines none of them, so they stay out of
/// host.json, where Azure reads it.
/// </summary>
public sealed class DurableTaskHubOptions
{
    public const string SectionName = "extensions:durableTask";

    /// <summary>App settings of this host's own task hub choices: <c>StorageProvider</c> (<c>Sqlite</c> or <c>AzureStorage</c>),
    /// <c>WorkItemLease</c>, <c>MaxDequeueCount</c>, <c>Synchronous</c>.</summary>
    public const string LocalSectionName = "EdgeKv:TaskHub";

    public string HubName { get; set; } = "EdgeKvHub";

    public int MaxConcurrentActivityFunctions { get; set; } = 16;

    public int MaxConcurrentOrchestratorFunctions { get; set; } = 16;

    /// <summary>An episode runs only its new events against the orchestration kept in memory, instead of replaying the whole history.</summary>
    public bool ExtendedSessionsEnabled { get; set; } = true;

    public int ExtendedSessionIdleTimeoutInSeconds { get; set; } = 30;

    /// <summary>
    /// How long a leased work item stays invisible to other hosts. A crashed host's work waits this long before another
    /// host takes it (a restarted single host releases its own at once); a host slower than this lets a second one run it too.
    /// </summary>
    public TimeSpan WorkItemLease { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>After this many failed hand-outs a message is poison (SQLite provider).</summary>
    public int MaxDequeueCount { get; set; } = 10;

    public StorageProviderOptions StorageProvider { get; set; } = new();

    /// <summary>The options from both places: host.json's Durable names, then this host's own app settings over them.</summary>
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
        // host.json's storageProvider:type is the Functions host's (AzureStorage in Azure); this host runs the one its own setting names.
        StorageProvider.Type = local["StorageProvider"] ?? "sqlite";
        StorageProvider.Synchronous = local["Synchronous"] ?? StorageProvider.Synchronous;
        WorkItemLease = local.GetValue(nameof(WorkItemLease), WorkItemLease);
        MaxDequeueCount = local.GetValue(nameof(MaxDequeueCount), MaxDequeueCount);
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
        if (ExtendedSessionIdleTimeoutInSeconds < 1) throw new InvalidOperationException("extensions:durableTask:extendedSessionIdleTimeoutInSeconds must be at least 1.");
    }
}
