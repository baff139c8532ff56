using System.Text;
using Azure.Data.Tables;

namespace EdgeKv.EndToEnd.Tests;

/// <summary>
/// What the Azure Storage provider keeps of a task hub, read straight from the account: the table partition manager's
/// rows (<c>{hub}Partitions</c>: one per control queue, with its current owner, next owner and lease expiry) and the
/// instances table (<c>{hub}Instances</c>: status and last update of each orchestration).
/// </summary>
internal sealed class SharedTaskHubState(string connectionString, string hub)
{
    private readonly TableClient partitions = new TableServiceClient(connectionString).GetTableClient(hub + "Partitions");
    private readonly TableClient instances = new TableServiceClient(connectionString).GetTableClient(hub + "Instances");

    public sealed record Partition(string Name, string? Owner, string? NextOwner, DateTimeOffset? ExpiresAt);

    public sealed record Instance(string Id, string Status, DateTimeOffset LastUpdated);

    public async Task<IReadOnlyList<Partition>> PartitionsAsync(CancellationToken cancellationToken = default)
    {
        var rows = new List<Partition>();
        try
        {
            await foreach (TableEntity row in partitions.QueryAsync<TableEntity>(cancellationToken: cancellationToken))
            {
                rows.Add(new Partition(row.RowKey, Text(row, "CurrentOwner"), Text(row, "NextOwner"),
                    row.GetDateTimeOffset("ExpiresAt")));
            }
        }
        catch (global::Azure.RequestFailedException e) when (e.Status == 404)
        {
            // The first host has not created the table yet.
        }

        return [.. rows.OrderBy(p => p.Name, StringComparer.Ordinal)];
    }

    public async Task<IReadOnlyList<Instance>> InstancesAsync(CancellationToken cancellationToken = default)
    {
        var rows = new List<Instance>();
        await foreach (TableEntity row in instances.QueryAsync<TableEntity>(select: ["PartitionKey", "RuntimeStatus",
            "LastUpdatedTime"], cancellationToken: cancellationToken))
        {
            rows.Add(new Instance(row.PartitionKey, Text(row, "RuntimeStatus") ?? "",
                row.GetDateTimeOffset("LastUpdatedTime") ?? DateTimeOffset.MinValue));
        }

        return rows;
    }

    /// <summary>
    /// The control queue (partition) of an instance: FNV-1a of its id, modulo the partition count, as the provider
    /// places it.
    /// </summary>
    public string PartitionOf(string instanceId, int partitionCount)
    {
        uint hash = 2166136261;
        foreach (byte b in Encoding.UTF8.GetBytes(instanceId))
        {
            hash ^= b;
            hash *= 16777619;
        }

        return $"{hub.ToLowerInvariant()}-control-{hash % (uint)partitionCount:00}";
    }

    private static string? Text(TableEntity row,
        string name) => row.GetString(name) is { Length: > 0 } value ? value : null;
}
