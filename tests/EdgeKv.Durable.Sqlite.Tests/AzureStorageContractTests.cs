using DurableTask.AzureStorage;
using DurableTask.Core;
using EdgeKv.Tests.Support;

namespace EdgeKv.Durable.Sqlite.Tests;

/// <summary>
/// The same provider contract on Microsoft's Azure Storage provider (the backend Durable Functions uses in Azure),
/// against one Azurite per class and a fresh task hub per test. Inconclusive when Azurite is not installed.
/// </summary>
[TestClass]
public sealed class AzureStorageContractTests : OrchestrationServiceContract
{
    private static AzuriteProcess? s_azurite;
    private AzureStorageOrchestrationService? _service;

    [ClassInitialize]
    public static async Task StartAzuriteAsync(TestContext context) => s_azurite = await AzuriteProcess.StartAsync();

    [ClassCleanup]
    public static void StopAzurite() => s_azurite?.Dispose();

    protected override async Task<(IOrchestrationService Service,
        IOrchestrationServiceClient Client)> CreateProviderAsync()
    {
        if (s_azurite is null)
        {
            Assert.Inconclusive("Azurite is not installed (.ci/install puts it under .tools/azurite).");
        }

        _service = new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = $"hub{Guid.NewGuid():N}"[..20],
            StorageAccountClientProvider = new StorageAccountClientProvider(s_azurite!.ConnectionString),
            PartitionCount = 1,
            MaxQueuePollingInterval = TimeSpan.FromMilliseconds(500),
            ExtendedSessionsEnabled = true,
            ThrowExceptionOnInvalidDedupeStatus = true,
        });
        await _service.CreateIfNotExistsAsync();
        return (_service, _service);
    }

    protected override TimeSpan TimerEarliness => TimeSpan.FromSeconds(1);

    protected override bool PurgeByIdDeletesActiveInstances => true;

    protected override bool KeepsEventsRaisedBeforeAScheduledStart => false;

    protected override async Task DisposeProviderAsync()
    {
        if (_service is not null) await _service.DeleteAsync();
    }
}
