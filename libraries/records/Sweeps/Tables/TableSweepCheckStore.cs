using Azure;
using Azure.Data.Tables;
using EdgeKv.Records.Tables;

namespace EdgeKv.Records.Sweeps.Tables;

/// <summary>
/// The shared home of <see cref="SweepCheckStore"/>: one Table storage partition, a row per resource (its name without
/// case). A page of the sweep covers consecutive names, so its states are one range query; its changes go in
/// entity-group transactions of up to 100 rows. The sweep merges its own properties and an event merges only
/// <c>DirtyAt</c>, so neither overwrites the other's part.
/// </summary>
public sealed class TableSweepCheckStore : SweepCheckStoreBackend
{
    private const string Partition = "checks";
    private readonly TableClient table;

    public TableSweepCheckStore(SharedStoreAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        table = account.Table("SweepChecks");
    }

    public override async Task<IReadOnlyDictionary<string, SweepCheckState>> GetAsync(IReadOnlyCollection<string> names,
        CancellationToken cancellationToken)
    {
        var wanted = names.Select(TableKeys.Fold).ToHashSet(StringComparer.Ordinal);
        string first = wanted.Min(StringComparer.Ordinal)!, last = wanted.Max(StringComparer.Ordinal)!;
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and RowKey ge {first} and RowKey le {last}");
        var states = new Dictionary<string, SweepCheckState>(StringComparer.OrdinalIgnoreCase);
        await foreach (TableEntity e in table.QueryAsync<TableEntity>(filter, 1000,
            cancellationToken: cancellationToken))
        {
            if (!wanted.Contains(e.RowKey)) continue;
            var state = new SweepCheckState(e.GetString("Name"),
                e.GetString("VaultFingerprint") is { Length: > 0 } fingerprint ? fingerprint : null,
                e.GetDateTimeOffset("ReadsCheckedAt"), e.GetDateTimeOffset("ReadsDueAt"),
                e.GetBoolean("ReadsFaulty") ?? false, e.GetDateTimeOffset("DirtyAt"));
            states[state.Name] = state;
        }

        return states;
    }

    public override async Task SaveAsync(IReadOnlyCollection<SweepCheckState> states,
        CancellationToken cancellationToken)
    {
        // Merged, so a row's DirtyAt (the events' part) stays; a missing fingerprint is written as an empty one (a
        // merge leaves out null values), which reads back as null.
        foreach (SweepCheckState[] batch in states.DistinctBy(s => TableKeys.Fold(s.Name)).Chunk(100))
        {
            await table.SubmitTransactionAsync(batch.Select(s => new TableTransactionAction(TableTransactionActionType.UpsertMerge, new TableEntity(Partition, TableKeys.Fold(s.Name))
            {
                ["Name"] = s.Name, ["VaultFingerprint"] = s.VaultFingerprint ?? string.Empty,
                    ["ReadsCheckedAt"] = s.ReadsCheckedAt?.ToUniversalTime(),
                ["ReadsDueAt"] = s.ReadsDueAt?.ToUniversalTime(), ["ReadsFaulty"] = s.ReadsFaulty,
            })), cancellationToken);
        }
    }

    public override async Task MarkDirtyAsync(string name, DateTimeOffset at, CancellationToken cancellationToken) =>
        await table.UpsertEntityAsync(new TableEntity(Partition, TableKeys.Fold(name)) { ["Name"] = name,
            ["DirtyAt"] = at.ToUniversalTime() },
            TableUpdateMode.Merge, cancellationToken);
}
