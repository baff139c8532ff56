using System.Globalization;
using Azure;
using Azure.Data.Tables;
using EdgeKv.Records.Tables;

namespace EdgeKv.Records.Alerts.Tables;

/// <summary>
/// The shared home of <see cref="AlertStore"/>: one Table storage partition with each alert at its position
/// (<c>a|0000000000000000042</c>, the order alerts were first raised), a counter row that hands out positions, and one
/// marker row per active alert whose key is its resource and kind (<c>active|resource|kind</c>). A new alert is written
/// in one entity-group transaction that adds the marker and advances the counter under its ETag, so when several hosts
/// raise the same alert at once exactly one transaction commits and the others find the marker and update that alert
/// instead.
/// </summary>
public sealed class TableAlertStore : AlertStoreBackend
{
    private const string Partition = "alerts";
    private const string CounterRow = "counter";
    private const string AlertPrefix = "a|";
    private const string ActivePrefix = "active|";
    private readonly TableClient table;
    private readonly TimeProvider time;

    public TableAlertStore(SharedStoreAccount account, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(account);
        table = account.Table("Alerts");
        this.time = time;
    }

    public override Task<AlertChange> RaiseAsync(AlertObservation observation,
        CancellationToken cancellationToken) => UpsertAsync(observation, cancellationToken);

    public override async Task<IReadOnlyList<AlertChange>> ApplySweepAsync(IReadOnlyCollection<string> checkedResources,
        IReadOnlyList<AlertObservation> observations,
        CancellationToken cancellationToken)
    {
        var changes = new List<AlertChange>();
        foreach (AlertObservation observation in observations) changes.Add(await UpsertAsync(observation,
            cancellationToken));
        var seen = observations.Select(o => ActiveRow(o.Resource, o.Kind)).ToHashSet(StringComparer.Ordinal);
        var checkedKeys = checkedResources.Select(TableKeys.Fold).ToHashSet(StringComparer.Ordinal);

        // One read of every active marker (few, however large the fleet) instead of one query per checked resource.
        await foreach (TableEntity marker in table.QueryAsync<TableEntity>(TableKeys.PrefixFilter(Partition,
            ActivePrefix), 1000, ["RowKey", "ResourceKey", "Position"], cancellationToken))
        {
            if (!checkedKeys.Contains(marker.GetString("ResourceKey")) || seen.Contains(marker.RowKey)) continue;
            if (await ResolveAsync(marker.RowKey, cancellationToken) is { } resolved) changes.Add(resolved);
        }

        return changes;
    }

    public override async Task<IReadOnlyList<AlertChange>> ResolveAsync(string resource,
        IReadOnlyCollection<AlertKind> kinds, CancellationToken cancellationToken)
    {
        var changes = new List<AlertChange>();
        foreach (AlertKind kind in kinds)
        {
            if (await ResolveAsync(ActiveRow(resource, kind), cancellationToken) is { } resolved) changes.Add(resolved);
        }

        return changes;
    }

    public override async Task<IReadOnlyList<(long Position, Alert Alert)>> QueryPageAsync(string? resource,
        AlertSeverity? severity, AlertState? state, long? after, int limit,
        CancellationToken cancellationToken)
    {
        string filter = TableKeys.PrefixFilter(Partition, AlertPrefix, after is null ? null : AlertRow(after.Value));
        if (resource is not null) filter += " and " + TableClient.CreateQueryFilter($"ResourceKey eq {TableKeys.Fold(resource)}");
        if (severity is not null) filter += " and " + TableClient.CreateQueryFilter($"Severity eq {severity.Value.ToString()}");
        if (state is not null) filter += " and " + TableClient.CreateQueryFilter($"State eq {state.Value.ToString()}");
        var page = new List<(long, Alert)>();
        await foreach (TableEntity entity in table.QueryAsync<TableEntity>(filter, Math.Min(limit, 1000),
            cancellationToken: cancellationToken))
        {
            page.Add((PositionOf(entity.RowKey), Map(entity)));
            if (page.Count == limit) break;
        }

        return page;
    }

    public override async Task<IReadOnlyList<AlertTimes>> ChangedSinceAsync(DateTimeOffset since,
        CancellationToken cancellationToken)
    {
        string filter = TableKeys.PrefixFilter(Partition, AlertPrefix) + " and " +
            TableClient.CreateQueryFilter($"(FirstSeen ge {since.ToUniversalTime()} or ResolvedAt ge {since.ToUniversalTime()})");
        var times = new List<AlertTimes>();
        await foreach (TableEntity e in table.QueryAsync<TableEntity>(filter, 1000,
            ["Resource", "FirstSeen", "ResolvedAt"], cancellationToken))
        {
            times.Add(new AlertTimes(e.GetString("Resource"), e.GetDateTimeOffset("FirstSeen")!.Value,
                e.GetDateTimeOffset("ResolvedAt")));
        }

        return times;
    }

    private async Task<AlertChange> UpsertAsync(AlertObservation o, CancellationToken cancellationToken)
    {
        AlertSeverity severity = AlertKinds.SeverityOf(o.Kind);
        string activeRow = ActiveRow(o.Resource, o.Kind);
        for (int attempt = 0; ; attempt++)
        {
            DateTimeOffset now = time.GetUtcNow();
            NullableResponse<TableEntity> marker = await table.GetEntityIfExistsAsync<TableEntity>(Partition, activeRow,
                cancellationToken: cancellationToken);
            if (marker.HasValue)
            {
                // Already active: count this sighting on that alert, under its ETag so concurrent sightings all count.
                NullableResponse<TableEntity> active = await table.GetEntityIfExistsAsync<TableEntity>(Partition,
                    AlertRow(marker.Value!.GetInt64("Position")!.Value),
                    cancellationToken: cancellationToken);
                if (active.HasValue && active.Value!.GetString("State") == nameof(AlertState.Active))
                {
                    TableEntity alert = active.Value;
                    var update = new TableEntity(Partition, alert.RowKey)
                    {
                        ["Finding"] = o.Finding, ["LastSeen"] = now,
                            ["Occurrences"] = alert.GetInt32("Occurrences")!.Value + 1,
                    };
                    try
                    {
                        await table.UpdateEntityAsync(update, alert.ETag, TableUpdateMode.Merge, cancellationToken);
                        return new AlertChange(alert.GetString("Id"), alert.GetString("Resource"), o.Kind, severity,
                            AlertChangeKind.Updated, o.Finding);
                    }
                    catch (RequestFailedException ex) when (ex.Status is 412 or 404)
                    {
                    }
                }
                else
                {
                    // A marker whose alert is gone or not active (only an edit outside EdgeKv leaves one): drop it,
                    // raise anew.
                    await DropStaleMarkerAsync(activeRow, marker.Value.ETag, cancellationToken);
                }
            }
            else
            {
                NullableResponse<TableEntity> counter = await table.GetEntityIfExistsAsync<TableEntity>(Partition,
                    CounterRow, cancellationToken: cancellationToken);
                long position = (counter.HasValue ? counter.Value!.GetInt64("Last")!.Value : 0) + 1;
                string id = Guid.NewGuid().ToString("N");
                var next = new TableEntity(Partition, CounterRow) { ["Last"] = position };
                TableTransactionAction advance = counter.HasValue
                    ? new(TableTransactionActionType.UpdateReplace, next, counter.Value!.ETag)
                    : new(TableTransactionActionType.Add, next);
                var alert = new TableEntity(Partition, AlertRow(position))
                {
                    ["Id"] = id, ["Resource"] = o.Resource, ["ResourceKey"] = TableKeys.Fold(o.Resource),
                        ["Kind"] = o.Kind.ToString(), ["Severity"] = severity.ToString(),
                    ["State"] = nameof(AlertState.Active), ["Finding"] = o.Finding,
                    ["Healing"] = AlertKinds.HealingFor(o.Kind, o.Resource), ["FirstSeen"] = now,
                    ["LastSeen"] = now, ["Occurrences"] = 1,
                };
                var active = new TableEntity(Partition, activeRow) { ["ResourceKey"] = TableKeys.Fold(o.Resource),
                    ["Position"] = position };
                try
                {
                    await table.SubmitTransactionAsync([advance, new(TableTransactionActionType.Add, alert),
                        new(TableTransactionActionType.Add, active)], cancellationToken);
                    return new AlertChange(id, o.Resource, o.Kind, severity, AlertChangeKind.Raised, o.Finding);
                }
                catch (TableTransactionFailedException ex) when (TableKeys.IsConflict(ex))
                {
                }
            }

            // Another host raised, updated or resolved this alert (or took the position) meanwhile: look again.
            await TableKeys.BackoffAsync(attempt, cancellationToken);
        }
    }

    private async Task DropStaleMarkerAsync(string activeRow, ETag etag, CancellationToken cancellationToken)
    {
        try
        {
            await table.DeleteEntityAsync(Partition, activeRow, etag, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 404)
        {
            // Another host changed or removed it first.
        }
    }

    /// <summary>
    /// Resolves the alert whose active marker is <paramref name="activeRow"/>; null when it is not active.
    /// </summary>
    private async Task<AlertChange?> ResolveAsync(string activeRow, CancellationToken cancellationToken)
    {
        for (int attempt = 0; ; attempt++)
        {
            NullableResponse<TableEntity> marker = await table.GetEntityIfExistsAsync<TableEntity>(Partition, activeRow,
                cancellationToken: cancellationToken);
            if (!marker.HasValue) return null;
            NullableResponse<TableEntity> found = await table.GetEntityIfExistsAsync<TableEntity>(Partition,
                AlertRow(marker.Value!.GetInt64("Position")!.Value),
                cancellationToken: cancellationToken);
            if (!found.HasValue || found.Value!.GetString("State") != nameof(AlertState.Active))
            {
                await DropStaleMarkerAsync(activeRow, marker.Value.ETag, cancellationToken);
                return null;
            }

            TableEntity alert = found.Value;
            var resolved = new TableEntity(Partition, alert.RowKey) { ["State"] = nameof(AlertState.Resolved),
                ["ResolvedAt"] = time.GetUtcNow() };
            try
            {
                await table.SubmitTransactionAsync(
                [
                    new(TableTransactionActionType.UpdateMerge, resolved, alert.ETag),
                    new(TableTransactionActionType.Delete, new TableEntity(Partition, activeRow), marker.Value.ETag),
                ], cancellationToken);
                Alert a = Map(alert);
                return new AlertChange(a.Id, a.Resource, a.Kind, a.Severity, AlertChangeKind.Resolved, a.Finding);
            }
            catch (TableTransactionFailedException ex) when (ex.Status is 412 or 404)
            {
                await TableKeys.BackoffAsync(attempt, cancellationToken);
            }
        }
    }

    private static Alert Map(TableEntity e) => new(
        e.GetString("Id"), e.GetString("Resource"), Enum.Parse<AlertKind>(e.GetString("Kind")),
        Enum.Parse<AlertSeverity>(e.GetString("Severity")),
        Enum.Parse<AlertState>(e.GetString("State")), e.GetString("Finding"), e.GetString("Healing"),
        e.GetDateTimeOffset("FirstSeen")!.Value,
        e.GetDateTimeOffset("LastSeen")!.Value, e.GetDateTimeOffset("ResolvedAt"), e.GetInt32("Occurrences")!.Value);

    private static string ActiveRow(string resource, AlertKind kind) => $"{ActivePrefix}{TableKeys.Fold(resource)}|{kind}";

    private static string AlertRow(long position) => AlertPrefix + position.ToString("D19",
        CultureInfo.InvariantCulture);

    private static long PositionOf(string row) => long.Parse(row.AsSpan(AlertPrefix.Length),
        CultureInfo.InvariantCulture);
}
