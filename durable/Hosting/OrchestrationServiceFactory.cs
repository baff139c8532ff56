using DurableTask.AzureStorage;
using DurableTask.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace EdgeKv.Durable.Hosting;

/// <summary>Makes the provider host.json names, with its hub, concurrency, extended sessions and leases mapped.</summary>
internal static class OrchestrationServiceFactory
{
    public static IOrchestrationService Create(DurableTaskHubOptions hub, string dataPath, IConfiguration configuration, ILoggerFactory loggerFactory)
    {
        hub.Validate();
        return hub.StorageProvider.IsAzureStorage ? AzureStorage(hub, configuration, loggerFactory) : Sqlite(hub, dataPath, loggerFactory);
    }

    private static AzureStorageOrchestrationService AzureStorage(DurableTaskHubOptions hub, IConfiguration configuration, ILoggerFactory loggerFactory)
    {
        string name = hub.StorageProvider.ConnectionName;
        string connectionString = configuration[name] ?? configuration.GetConnectionString(name)
            ?? throw new InvalidOperationException($"The Azure Storage task hub needs a connection string in the setting '{name}' (or ConnectionStrings:{name}).");
        return new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = hub.HubName,
            StorageAccountClientProvider = new StorageAccountClientProvider(connectionString),
            MaxConcurrentTaskActivityWorkItems = hub.MaxConcurrentActivityFunctions,
            MaxConcurrentTaskOrchestrationWorkItems = hub.MaxConcurrentOrchestratorFunctions,
            ExtendedSessionsEnabled = hub.ExtendedSessionsEnabled,
            ExtendedSessionIdleTimeout = TimeSpan.FromSeconds(hub.ExtendedSessionIdleTimeoutInSeconds),
            // A dead host's messages reappear after the visibility timeout; its partitions move after the lease interval.
            WorkItemQueueVisibilityTimeout = hub.WorkItemLease,
            ControlQueueVisibilityTimeout = hub.WorkItemLease,
            MaxQueuePollingInterval = TimeSpan.FromSeconds(1),
            LoggerFactory = loggerFactory,
        });
    }

    private static IOrchestrationService Sqlite(DurableTaskHubOptions hub, string dataPath, ILoggerFactory loggerFactory)
        => throw new NotSupportedException("The SQLite provider is not merged yet.");
}
