using DurableTask.AzureStorage;
using DurableTask.Core;
using EdgeKv.Durable.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace EdgeKv.Durable.Hosting;

/// <summary>
/// Makes the provider <c>EdgeKv:TaskHub:StorageProvider</c> names, with its hub, concurrency, extended sessions and
/// leases mapped.
/// </summary>
internal static class OrchestrationServiceFactory
{
    /// <param name="workerId">The Azure Storage provider's worker id; asked for only when that provider is
    /// chosen.</param>
    public static IOrchestrationService Create(DurableTaskHubOptions hub, string dataPath, IConfiguration configuration,
        ILoggerFactory loggerFactory, Func<TaskHubWorkerId> workerId)
    {
        hub.Validate();
        return hub.StorageProvider.IsAzureStorage ? AzureStorage(hub, configuration, loggerFactory,
            workerId()) : Sqlite(hub, dataPath, loggerFactory);
    }

    private static AzureStorageOrchestrationService AzureStorage(DurableTaskHubOptions hub,
        IConfiguration configuration, ILoggerFactory loggerFactory, TaskHubWorkerId workerId)
    {
        string name = hub.StorageProvider.ConnectionName;
        string connectionString = configuration[name] ?? configuration.GetConnectionString(name)
            ?? throw new InvalidOperationException($"The Azure Storage task hub needs a connection string in the setting '{name}' (or ConnectionStrings:{name}).");
        HostingLogs.SharedHubJoined(loggerFactory.CreateLogger(typeof(OrchestrationServiceFactory).FullName!),
            hub.HubName, workerId.Value, workerId.Source,
            hub.PartitionLeaseInterval, hub.PartitionLeaseRenewInterval, hub.ControlQueueVisibilityTimeout,
            hub.WorkItemLease);
        return new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = hub.HubName,
            StorageAccountClientProvider = new StorageAccountClientProvider(connectionString),
            MaxConcurrentTaskActivityWorkItems = hub.MaxConcurrentActivityFunctions,
            MaxConcurrentTaskOrchestrationWorkItems = hub.MaxConcurrentOrchestratorFunctions,
            ExtendedSessionsEnabled = hub.ExtendedSessionsEnabled,
            ExtendedSessionIdleTimeout = TimeSpan.FromSeconds(hub.ExtendedSessionIdleTimeoutInSeconds),
            WorkerId = workerId.Value,
            // The table partition manager is the Durable extension's default since its version 3: each partition's
            // owner, next owner and lease expiry in the table {hub}Partitions, renewed and rebalanced in one loop.
            UseTablePartitionManagement = true,
            LeaseInterval = hub.PartitionLeaseInterval,
            LeaseRenewInterval = hub.PartitionLeaseRenewInterval,
            LeaseAcquireInterval = hub.PartitionLeaseRenewInterval,
            // A dead host's partitions move after their lease lapses; the messages it had taken reappear after these.
            ControlQueueVisibilityTimeout = hub.ControlQueueVisibilityTimeout,
            WorkItemQueueVisibilityTimeout = hub.WorkItemLease,
            MaxQueuePollingInterval = hub.MaxQueuePollingInterval,
            LoggerFactory = loggerFactory,
        });
    }

    /// <summary>
    /// The embedded hub: one file under the data path, one host. The host's lease owner id is stable (machine, data
    /// path, hub), so a host restarted after a crash releases what its dead predecessor held at start-up instead of
    /// waiting for the leases to expire; two live processes must therefore never share one data path.
    /// </summary>
    private static SqliteOrchestrationService Sqlite(DurableTaskHubOptions hub, string dataPath,
        ILoggerFactory loggerFactory)
    {
        if (!Enum.TryParse(hub.StorageProvider.Synchronous, ignoreCase: true, out SqliteSynchronousMode synchronous))
        {
            throw new InvalidOperationException($"{DurableTaskHubOptions.LocalSectionName}:Synchronous '{hub.StorageProvider.Synchronous}' is not Normal or Full.");
        }

        string path = Path.Combine(dataPath, $"durabletask-{hub.HubName}.db");
        return new SqliteOrchestrationService(new SqliteOrchestrationServiceSettings
        {
            DatabasePath = path,
            TaskHubName = hub.HubName,
            Synchronous = synchronous,
            WorkItemLockTimeout = hub.WorkItemLease,
            MaxConcurrentActivities = hub.MaxConcurrentActivityFunctions,
            MaxConcurrentOrchestrations = hub.MaxConcurrentOrchestratorFunctions,
            ExtendedSessionsEnabled = hub.ExtendedSessionsEnabled,
            ExtendedSessionIdleTimeout = TimeSpan.FromSeconds(hub.ExtendedSessionIdleTimeoutInSeconds),
            MaxDequeueCount = hub.MaxDequeueCount,
            OwnerId = $"{Environment.MachineName}:{path}",
            ReleaseOwnLeasesOnStart = true,
        }, loggerFactory);
    }
}
