using System.Globalization;
using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;
using EdgeKv.Records.Tables;
using EdgeKv.Records.Security;

namespace EdgeKv.Records.Security.Tables;

/// <summary>
/// The audit chain in the app's storage account, for several hosts: one Table storage partition with a head row (the
/// tail's sequence number and hash) and each record at <c>r|{sequence}</c>. An append writes its record and moves the
/// head in one entity-group transaction under the head's ETag, so of two hosts sealing a record against the same tail
/// one commits and the other re-seals against the new tail: the chain never forks and no record is lost. Records are
/// never updated or deleted by EdgeKv; an edit by anyone else breaks the audit trail's verification.
/// </summary>
public sealed class TableAuditTrail : AuditTrailBackend
{
    private const string Partition = "audit";
    private const string HeadRow = "head";
    private const string RecordPrefix = "r|";
    private const int MaxAttempts = 200;
    private readonly TableClient table;

    public TableAuditTrail(SharedStoreAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        table = account.Table("Audit");
    }

    public override async Task<AuditRecord> AppendAsync(AuditEntry entry,
        Func<string, (DateTimeOffset Time, string Hash)> seal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(seal);
        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            NullableResponse<TableEntity> head = await table.GetEntityIfExistsAsync<TableEntity>(Partition, HeadRow,
                cancellationToken: cancellationToken);
            long sequence = (head.HasValue ? head.Value!.GetInt64("Sequence")!.Value : 0) + 1;
            string previous = head.HasValue ? head.Value!.GetString("Hash") : Genesis;
            (DateTimeOffset now, string hash) = seal(previous);
            var record = new AuditRecord(sequence, now, entry.Principal, entry.Role, entry.Device, entry.Operation,
                entry.Resource, entry.SecretName, entry.ClientIp,
                entry.Result, entry.Status, previous, hash);
            var next = new TableEntity(Partition, HeadRow) { ["Sequence"] = sequence, ["Hash"] = hash };
            TableTransactionAction move = head.HasValue
                ? new(TableTransactionActionType.UpdateReplace, next, head.Value!.ETag)
                : new(TableTransactionActionType.Add, next);
            try
            {
                await table.SubmitTransactionAsync([move, new(TableTransactionActionType.Add, Entity(record))],
                    cancellationToken);
                return record;
            }
            catch (TableTransactionFailedException ex) when (TableKeys.IsConflict(ex))
            {
                await TableKeys.BackoffAsync(attempt,
                    cancellationToken); // another host appended first: seal against its record
            }
        }

        throw new AuditContentionException($"The audit tail moved under {MaxAttempts} attempts in a row.");
    }

    public override async Task<IReadOnlyList<AuditRecord>> QueryAsync(AuditQuery query,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        string filter = TableKeys.PrefixFilter(Partition, RecordPrefix,
            query.After is null ? null : RowOf(query.After.Value));
        void Add(FormattableString clause) => filter += " and " + TableClient.CreateQueryFilter(clause);
        if (query.From is { } from) Add($"Time ge {from.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture)}");
        if (query.To is { } to) Add($"Time lt {to.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture)}");
        if (query.Principal is not null) Add($"PrincipalKey eq {query.Principal.ToLowerInvariant()}");
        if (query.Operation is not null) Add($"OperationKey eq {query.Operation.ToLowerInvariant()}");
        if (query.Resource is not null) Add($"ResourceKey eq {query.Resource.ToLowerInvariant()}");
        if (query.Result is not null) Add($"ResultKey eq {query.Result.ToLowerInvariant()}");
        var list = new List<AuditRecord>();
        if (query.Top <= 0) return list;
        await foreach (TableEntity entity in table.QueryAsync<TableEntity>(filter, Math.Min(query.Top, 1000),
            cancellationToken: cancellationToken))
        {
            list.Add(Map(entity));
            if (list.Count == query.Top) break;
        }

        return list;
    }

    public override async IAsyncEnumerable<AuditRecord> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (TableEntity entity in table.QueryAsync<TableEntity>(TableKeys.PrefixFilter(Partition,
            RecordPrefix), 1000, cancellationToken: cancellationToken))
        {
            yield return Map(entity);
        }
    }

    private static string RowOf(long sequence) => RecordPrefix + sequence.ToString("D19", CultureInfo.InvariantCulture);

    // The time is kept as the exact text the hash covers (and sorts as text, as in security.db); the *Key columns serve
    // the case-insensitive filters of GET /api/audit.
    private static TableEntity Entity(AuditRecord r) => new(Partition, RowOf(r.Sequence))
    {
        ["Time"] = r.Time.ToString("O", CultureInfo.InvariantCulture), ["Principal"] = r.Principal,
            ["PrincipalKey"] = r.Principal.ToLowerInvariant(), ["Role"] = r.Role,
        ["Device"] = r.Device, ["Operation"] = r.Operation, ["OperationKey"] = r.Operation.ToLowerInvariant(),
        ["Resource"] = r.Resource,
        ["ResourceKey"] = r.Resource?.ToLowerInvariant(), ["SecretName"] = r.SecretName, ["ClientIp"] = r.ClientIp,
        ["Result"] = r.Result,
        ["ResultKey"] = r.Result.ToLowerInvariant(), ["Status"] = r.Status, ["PreviousHash"] = r.PreviousHash,
        ["Hash"] = r.Hash,
    };

    private static AuditRecord Map(TableEntity e) => new(
        long.Parse(e.RowKey.AsSpan(RecordPrefix.Length), CultureInfo.InvariantCulture),
        DateTimeOffset.Parse(e.GetString("Time"), CultureInfo.InvariantCulture),
        e.GetString("Principal"), e.GetString("Role"), e.GetString("Device"), e.GetString("Operation"),
        e.GetString("Resource"), e.GetString("SecretName"),
        e.GetString("ClientIp"), e.GetString("Result"), e.GetInt32("Status")!.Value, e.GetString("PreviousHash"),
        e.GetString("Hash"));
}
