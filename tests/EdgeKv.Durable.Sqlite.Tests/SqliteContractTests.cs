using DurableTask.Core;
using EdgeKv.Tests.Support;

namespace EdgeKv.Durable.Sqlite.Tests;

/// <summary>The provider contract on the SQLite provider, one fresh database per test.</summary>
[TestClass]
public sealed class SqliteContractTests : OrchestrationServiceContract
{
    private TempDirectory? _folder;
    private SqliteOrchestrationService? _service;

    protected override Task<(IOrchestrationService Service, IOrchestrationServiceClient Client)> CreateProviderAsync()
    {
        _folder = new TempDirectory("edgekv-dtfx");
        _service = new SqliteOrchestrationService(new SqliteOrchestrationServiceSettings { DatabasePath = Path.Combine(_folder.Path, "hub.db") });
        return Task.FromResult<(IOrchestrationService, IOrchestrationServiceClient)>((_service, _service));
    }

    protected override async Task DisposeProviderAsync()
    {
        if (_service is not null) await _service.DisposeAsync();
        _folder?.Dispose();
    }
}
