using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using EdgeKv.Records.Tables;
using EdgeKv.Records.Security;

namespace EdgeKv.Records.Security.Tables;

/// <summary>
/// Security alerts in the app's storage account: one partition, a head row handing out sequence numbers under its ETag,
/// each alert at <c>s|{sequence}</c>, and for alerts raised once a marker row (<c>once|{hash of kind, resource,
/// principal}</c>) added in the same transaction, so two hosts noticing the same thing raise it once.
/// </summary>
public sealed class TableSecurityAlerts : SecurityAlertBackend
{
    private const string Partition = "security";
    private const string HeadRow = "head";
    private const string AlertPrefix = "s|";
    private readonly TableClient table;

    public TableSecurityAlerts(SharedStoreAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        table = account.Table("SecurityAlerts");
    }

    public override async Task<SecurityAlert?> AppendAsync(DateTimeOffset time, string kind, string? resource,
        string? principal, string message, bool once,
        CancellationToken cancellationToken)
    {
        string onceRow = "once|" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{kind}\u001f{resource?.ToLowerInvariant()}\u001f{principal}")));
        for (int attempt = 0; ; attempt++)
        {
            if (once && (await table.GetEntityIfExistsAsync<TableEntity>(Partition, onceRow, ["RowKey"],
                cancellationToken)).HasValue) return null;
            NullableResponse<TableEntity> head = await table.GetEntityIfExistsAsync<TableEntity>(Partition, HeadRow,
                cancellationToken: cancellationToken);
            long sequence = (head.HasValue ? head.Value!.GetInt64("Sequence")!.Value : 0) + 1;
            var next = new TableEntity(Partition, HeadRow) { ["Sequence"] = sequence };
            var batch = new List<TableTransactionAction>
            {
                head.HasValue ? new(TableTransactionActionType.UpdateReplace, next,
                    head.Value!.ETag) : new(TableTransactionActionType.Add, next),
                new(TableTransactionActionType.Add,
                    new TableEntity(Partition, AlertPrefix + sequence.ToString("D19", CultureInfo.InvariantCulture))
                {
                    ["Time"] = time, ["Kind"] = kind, ["Resource"] = resource,
                        ["ResourceKey"] = resource?.ToLowerInvariant(), ["Principal"] = principal,
                        ["Message"] = message,
                }),
            };
            if (once) batch.Add(new(TableTransactionActionType.Add,
                new TableEntity(Partition, onceRow) { ["Sequence"] = sequence }));
            try
            {
                await table.SubmitTransactionAsync(batch, cancellationToken);
                return new SecurityAlert(sequence, time, kind, resource, principal, message);
            }
            catch (TableTransactionFailedException ex) when (TableKeys.IsConflict(ex))
            {
                await TableKeys.BackoffAsync(attempt, cancellationToken); // another host appended (or raised this once) first
            }
        }
    }

    public override async Task<IReadOnlyList<SecurityAlert>> ListAsync(string? resource,
        CancellationToken cancellationToken)
    {
        string filter = TableKeys.PrefixFilter(Partition, AlertPrefix);
        if (resource is not null) filter += " and " + TableClient.CreateQueryFilter($"ResourceKey eq {resource.ToLowerInvariant()}");
        var list = new List<SecurityAlert>();
        await foreach (TableEntity e in table.QueryAsync<TableEntity>(filter, 1000,
            cancellationToken: cancellationToken))
        {
            list.Add(new SecurityAlert(long.Parse(e.RowKey.AsSpan(AlertPrefix.Length), CultureInfo.InvariantCulture),
                e.GetDateTimeOffset("Time")!.Value, e.GetString("Kind"),
                e.GetString("Resource"), e.GetString("Principal"), e.GetString("Message")));
        }

        return list;
    }
}
