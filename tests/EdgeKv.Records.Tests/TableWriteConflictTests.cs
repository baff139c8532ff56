using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using EdgeKv.Records;
using EdgeKv.Records.Tables;

namespace EdgeKv.Records.Tests;

/// <summary>
/// A conditional write that keeps losing the race gives up with a clear error after <see
/// cref="TableKeys.MaxConflictAttempts"/> tries instead of spinning: another writer (a pipeline policy here) rewrites
/// the partition's rows just before each of the store's transactions, so every one of them is refused (412).
/// Inconclusive without Azurite.
/// </summary>
[TestClass]
public sealed class TableWriteConflictTests
{
    [TestMethod]
    public async Task An_update_that_always_loses_the_race_gives_up_with_a_clear_error()
    {
        string prefix = TableStorageAzurite.NewPrefix();
        var rival = new RivalWriterPolicy(new TableServiceClient(TableStorageAzurite.ConnectionString).GetTableClient(prefix + "Resources"));
        var options = new TableClientOptions();
        options.AddPolicy(rival, HttpPipelinePosition.PerCall);
        var account = new SharedStoreAccount(new TableServiceClient(TableStorageAzurite.ConnectionString, options),
            new BlobServiceClient(TableStorageAzurite.ConnectionString), prefix);
        using var store = new ResourceStore(new TableResourceStore(account, TimeProvider.System));
        Assert.IsTrue(await store.TryAddAsync(new ResourceRecord
        {
            Name = "ase1", ResourceId = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.DataBoxEdge/dataBoxEdgeDevices/ase1", ResourceGroup = "rg",
            Location = "westus2",
        }));

        rival.Active = true;
        var error = await Assert.ThrowsExactlyAsync<TableWriteConflictException>(() => store.UpdateAsync("ase1",
            r => r with { VaultName = "kv1" }));

        Assert.AreEqual(TableKeys.MaxConflictAttempts, error.Attempts);
        Assert.AreEqual(TableKeys.MaxConflictAttempts, rival.Transactions, "one transaction per try, then no more");
        StringAssert.Contains(error.Message, "given up");
        rival.Active = false;
        Assert.IsNull((await store.GetAsync("ase1"))!.VaultName, "nothing was written");
    }

    [TestMethod]
    public async Task Backoff_pauses_below_the_bound_and_refuses_at_it()
    {
        await TableKeys.BackoffAsync(0, CancellationToken.None);
        await TableKeys.BackoffAsync(TableKeys.MaxConflictAttempts - 2, CancellationToken.None);
        var error = await Assert.ThrowsExactlyAsync<TableWriteConflictException>(() => TableKeys.BackoffAsync(TableKeys.MaxConflictAttempts - 1, CancellationToken.None));
        Assert.AreEqual(TableKeys.MaxConflictAttempts, error.Attempts);
    }

    /// <summary>
    /// Before each entity-group transaction, rewrites every row of the table (new ETags), as a faster host would.
    /// </summary>
    private sealed class RivalWriterPolicy(TableClient table) : HttpPipelinePolicy
    {
        public volatile bool Active;
        private int transactions;

        public int Transactions => Volatile.Read(ref transactions);

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            if (Active) throw new NotSupportedException("The store's writes are asynchronous.");
            ProcessNext(message, pipeline);
        }

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            if (Active && message.Request.Method == RequestMethod.Post && message.Request.Uri.Path.EndsWith("$batch",
                StringComparison.Ordinal))
            {
                Interlocked.Increment(ref transactions);
                await foreach (TableEntity row in table.QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"]))
                {
                    await table.UpdateEntityAsync(new TableEntity(row.PartitionKey,
                        row.RowKey) { ["Rival"] = Guid.NewGuid().ToString() }, ETag.All, TableUpdateMode.Merge);
                }
            }

            await ProcessNextAsync(message, pipeline);
        }
    }
}
