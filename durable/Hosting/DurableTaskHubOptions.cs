namespace EdgeKv.Durable.Hosting;

/// <summary>
/// The task hub, bound from host.json's <c>extensions:durableTask</c> with the names Durable Functions uses:
/// <c>hubName</c>, <c>maxConcurrentActivityFunctions</c>, <c>maxConcurrentOrchestratorFunctions</c>,
/// <c>extendedSessionsEnabled</c>, <c>extendedSessionIdleTimeoutInSeconds</c> and <c>storageProvider</c>.
/// </summary>
public sealed class DurableTaskHubOptions
{
    public const string SectionName = "extensions:durableTask";

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

    public void Validate()
    {
        if (!StorageProvider.IsSqlite && !StorageProvider.IsAzureStorage)
        {
            throw new InvalidOperationException($"extensions:durableTask:storageProvider:type '{StorageProvider.Type}' is not supported; use 'sqlite' (the default) or 'AzureStorage'.");
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

        if (MaxDequeueCount < 1) throw new InvalidOperationException("extensions:durableTask:maxDequeueCount must be at least 1.");
        if (WorkItemLease < TimeSpan.FromSeconds(1)) throw new InvalidOperationException("extensions:durableTask:workItemLease must be at least one second.");
        if (ExtendedSessionIdleTimeoutInSeconds < 1) throw new InvalidOperationException("extensions:durableTask:extendedSessionIdleTimeoutInSeconds must be at least 1.");
    }
}
