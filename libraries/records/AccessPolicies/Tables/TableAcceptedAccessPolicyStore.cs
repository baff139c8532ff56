using System.Globalization;
using Azure;
using Azure.Data.Tables;
using EdgeKv.Records.Tables;

namespace EdgeKv.Records.AccessPolicies.Tables;

/// <summary>
/// The shared home of <see cref="AcceptedAccessPolicyStore"/>: one partition per resource (its name without case), one
/// row per principal (its object id without case), so a resource's entries are one partition read and forgetting it
/// touches nothing else. Accepting writes the whole entry (no read first), so two hosts accepting the same entry at
/// once leave one of the two whole; forgetting deletes each entry under the ETag it listed, so an entry accepted again
/// after the listing survives the forget that did not see it.
/// </summary>
public sealed class TableAcceptedAccessPolicyStore : AcceptedAccessPolicyStoreBackend
{
    private readonly TableClient table;

    public TableAcceptedAccessPolicyStore(SharedStoreAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        table = account.Table("AcceptedAccessPolicies");
    }

    public override async Task AcceptAsync(AcceptedAccessPolicy accepted, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(TableKeys.Fold(accepted.Resource), TableKeys.Fold(accepted.ObjectId))
        {
            ["Resource"] = accepted.Resource, ["ObjectId"] = accepted.ObjectId, ["Permissions"] = accepted.Permissions,
                ["AcceptedBy"] = accepted.AcceptedBy,
            // Kept as text: the offset the entry was accepted with comes back as it was (Table storage keeps only UTC).
            ["AcceptedAt"] = accepted.AcceptedAt.ToString("O", CultureInfo.InvariantCulture),
        };
        await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
    }

    public override async Task<IReadOnlyList<AcceptedAccessPolicy>> ListAsync(string resource,
        CancellationToken cancellationToken)
    {
        var list = new List<AcceptedAccessPolicy>();
        await foreach (TableEntity e in table.QueryAsync<TableEntity>(PartitionFilter(resource), 1000,
            cancellationToken: cancellationToken))
        {
            list.Add(new AcceptedAccessPolicy(e.GetString("Resource"), e.GetString("ObjectId"),
                e.GetString("Permissions"), e.GetString("AcceptedBy"),
                DateTimeOffset.Parse(e.GetString("AcceptedAt"), CultureInfo.InvariantCulture,
                    DateTimeStyles.RoundtripKind)));
        }

        // Row keys are the folded ids in order already; sort as SQLite's NOCASE does for ids that escaping reorders.
        return [.. list.OrderBy(a => a.ObjectId, StringComparer.OrdinalIgnoreCase)];
    }

    public override async Task ForgetAsync(string resource, CancellationToken cancellationToken)
    {
        await foreach (TableEntity e in table.QueryAsync<TableEntity>(PartitionFilter(resource), 1000, ["RowKey"],
            cancellationToken))
        {
            try
            {
                await table.DeleteEntityAsync(TableKeys.Fold(resource), e.RowKey, e.ETag, cancellationToken);
            }
            catch (RequestFailedException ex) when (ex.Status == 412)
            {
                // Accepted again after this listing: that later acceptance stands.
            }
        }
    }

    private static string PartitionFilter(string resource) => TableClient.CreateQueryFilter($"PartitionKey eq {TableKeys.Fold(resource)}");
}
