using System.Globalization;
using Azure;
using Azure.Data.Tables;
using EdgeKv.Records.Tables;

namespace EdgeKv.Records.Alerts.Tables;

/// <summary>
/// The shared home of <see cref="AlertStore"/>: one Table storage partition with each alert at its position
/// (<c>a|0000000000000000042</c>, the order alerts were first raised), a counter row that hands out positions, and one
/// marker row per active alert whose key is its resource, kind and principal (<c>active|resource|kind</c>, or
/// <c>active|resource|kind|principal</c> for an alert about a principal). A new alert is written in one entity-group
/// transaction that adds the marker and advances the counter under its ETag, so when several hosts
/// raise the same alert at once exactly one transaction commits and the others find the marker and update that alert
/// instead.
/// </summary>
public sealed class TableAlertStore : AlertStoreBackend
{
    private const string Partition = "alerts";
    private const string CounterRow = "counter";
    private const string AlertPrefix = "a|";
    private const string ActivePrefix = "active|";
    private const string ImportPrefix = "import|";
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
        IReadOnlyCollection<AlertKind> checkedKinds, IReadOnlyList<AlertObservation> observations,
        CancellationToken cancellationToken)
    {
        var changes = new List<AlertChange>();
        foreach (AlertObservation observation in observations) changes.Add(await UpsertAsync(observation,
            cancellationToken));
        var seen = observations.Select(o => ActiveRow(o.Resource, o.Kind,
            o.Principal)).ToHashSet(StringComparer.Ordinal);
        var checkedKeys = checkedResources.Select(TableKeys.Fold).ToHashSet(StringComparer.Ordinal);

        // One read of every active marker (few, however large the fleet) instead of one query per checked resource.
        await foreach (TableEntity marker in table.QueryAsync<TableEntity>(TableKeys.PrefixFilter(Partition,
            ActivePrefix), 1000, ["RowKey", "ResourceKey", "Position"], cancellationToken))
        {
            string resourceKey = marker.GetString("ResourceKey");
            if (!checkedKeys.Contains(resourceKey) || seen.Contains(marker.RowKey)
                || !checkedKinds.Contains(KindOf(marker.RowKey, resourceKey))) continue;
            if (await ResolveAsync(marker.RowKey, cancellationToken) is { } resolved) changes.Add(resolved);
        }

        return changes;
    }

    public override async Task<IReadOnlyList<AlertChange>> ResolveAsync(string resource,
        IReadOnlyCollection<AlertKind> kinds, string? principal, CancellationToken cancellationToken)
    {
        var changes = new List<AlertChange>();
        foreach (AlertKind kind in kinds)
        {
            var rows = new List<string> { ActiveRow(resource, kind, principal) };
            if (principal is null)
            {
                // Every principal's alert of the kind: the markers under active|resource|kind|.
                string under = ActiveRow(resource, kind, null) + "|";
                await foreach (TableEntity marker in table.QueryAsync<TableEntity>(TableKeys.PrefixFilter(Partition,
                    under), 1000, ["RowKey"], cancellationToken)) rows.Add(marker.RowKey);
            }

            foreach (string row in rows)
            {
                if (await ResolveAsync(row, cancellationToken) is { } resolved) changes.Add(resolved);
            }
        }

        return changes;
    }

    /// <summary>
    /// Found by a query on the partition (the id is not a key): a rare call, the security team resolving one alert.
    /// </summary>
    public override async Task<Alert?> GetAsync(string id, CancellationToken cancellationToken)
    {
        string filter = TableKeys.PrefixFilter(Partition, AlertPrefix) + " and "
            + TableClient.CreateQueryFilter($"Id eq {id}");
        await foreach (TableEntity entity in table.QueryAsync<TableEntity>(filter, 1,
            cancellationToken: cancellationToken)) return Map(entity);
        return null;
    }

    /// <summary>
    /// The alert at the next position, with an <c>import|id</c> row in the same transaction (so an import run twice,
    /// or on two hosts at once, writes it once) and, when it is active and its identity has no active alert, its
    /// marker.
    /// </summary>
    public override async Task<bool> ImportAsync(Alert alert, CancellationToken cancellationToken)
    {
        string importRow = ImportPrefix + TableKeys.Escape(alert.Id);
        string activeRow = ActiveRow(alert.Resource, alert.Kind, alert.Principal);
        for (int attempt = 0; ; attempt++)
        {
            if ((await table.GetEntityIfExistsAsync<TableEntity>(Partition, importRow, ["RowKey"],
                cancellationToken)).HasValue) return false;
            bool active = alert.State == AlertState.Active && !(await table.GetEntityIfExistsAsync<TableEntity>(
                Partition, activeRow, ["RowKey"], cancellationToken)).HasValue;
            Alert written = active || alert.State == AlertState.Resolved
                ? alert : alert with { State = AlertState.Resolved, ResolvedAt = alert.LastSeen };
            NullableResponse<TableEntity> counter = await table.GetEntityIfExistsAsync<TableEntity>(Partition,
                CounterRow, cancellationToken: cancellationToken);
            long position = (counter.HasValue ? counter.Value!.GetInt64("Last")!.Value : 0) + 1;
            var next = new TableEntity(Partition, CounterRow) { ["Last"] = position };
            List<TableTransactionAction> batch =
            [
                counter.HasValue ? new(TableTransactionActionType.UpdateReplace, next, counter.Value!.ETag)
                    : new(TableTransactionActionType.Add, next),
                new(TableTransactionActionType.Add, Entity(written, position)),
                new(TableTransactionActionType.Add, new TableEntity(Partition, importRow) { ["Position"] = position }),
            ];
            if (active) batch.Add(new(TableTransactionActionType.Add, Marker(activeRow, written, position)));
            try
            {
                await table.SubmitTransactionAsync(batch, cancellationToken);
                return true;
            }
            catch (TableTransactionFailedException ex) when (TableKeys.IsConflict(ex))
            {
                await TableKeys.BackoffAsync(attempt, cancellationToken);
            }
        }
    }

    public override async Task<IReadOnlyList<(long Position, Alert Alert)>> QueryPageAsync(string? resource,
        AlertSeverity? severity, AlertState? state, IReadOnlyCollection<AlertKind>? kinds, long? after, int limit,
        CancellationToken cancellationToken)
    {
        string filter = TableKeys.PrefixFilter(Partition, AlertPrefix, after is null ? null : AlertRow(after.Value));
        if (resource is not null) filter += " and " + TableClient.CreateQueryFilter($"ResourceKey eq {TableKeys.Fold(resource)}");
        if (severity is not null) filter += " and " + TableClient.CreateQueryFilter($"Severity eq {severity.Value.ToString()}");
        if (state is not null) filter += " and " + TableClient.CreateQueryFilter($"State eq {state.Value.ToString()}");
        if (kinds is not null)
        {
            filter += " and (" + string.Join(" or ", kinds.Select(k => TableClient.CreateQueryFilter(
                $"Kind eq {k.ToString()}")).DefaultIfEmpty("false")) + ")";
        }

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
        string activeRow = ActiveRow(o.Resource, o.Kind, o.Principal);
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
                            AlertChangeKind.Updated, o.Finding, o.Principal);
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
                TableEntity alert = Entity(new Alert(id, o.Resource, o.Kind, severity, AlertState.Active, o.Finding,
                    AlertKinds.HealingFor(o.Kind, o.Resource), now, now, null, 1, o.Principal), position);
                TableEntity active = Marker(activeRow, o.Resource, o.Kind, o.Principal, position);
                try
                {
                    await table.SubmitTransactionAsync([advance, new(TableTransactionActionType.Add, alert),
                        new(TableTransactionActionType.Add, active)], cancellationToken);
                    return new AlertChange(id, o.Resource, o.Kind, severity, AlertChangeKind.Raised, o.Finding,
                        o.Principal);
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
                return new AlertChange(a.Id, a.Resource, a.Kind, a.Severity, AlertChangeKind.Resolved, a.Finding,
                    a.Principal);
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
        e.GetDateTimeOffset("LastSeen")!.Value, e.GetDateTimeOffset("ResolvedAt"), e.GetInt32("Occurrences")!.Value,
        e.GetString("Principal"));

    private static TableEntity Entity(Alert a, long position) => new(Partition, AlertRow(position))
    {
        ["Id"] = a.Id, ["Resource"] = a.Resource, ["ResourceKey"] = TableKeys.Fold(a.Resource),
        ["Kind"] = a.Kind.ToString(), ["Severity"] = a.Severity.ToString(), ["State"] = a.State.ToString(),
        ["Finding"] = a.Finding, ["Healing"] = a.Healing, ["FirstSeen"] = a.FirstSeen, ["LastSeen"] = a.LastSeen,
        ["ResolvedAt"] = a.ResolvedAt, ["Occurrences"] = a.Occurrences, ["Principal"] = a.Principal,
    };

    private static TableEntity Marker(string activeRow, Alert a, long position) =>
        Marker(activeRow, a.Resource, a.Kind, a.Principal, position);

    private static TableEntity Marker(string activeRow, string resource, AlertKind kind, string? principal,
        long position) => new(Partition, activeRow)
    {
        ["ResourceKey"] = TableKeys.Fold(resource), ["Position"] = position, ["Kind"] = kind.ToString(),
        ["Principal"] = principal,
    };

    /// <summary>
    /// The marker of the active alert of that resource, kind and principal: <c>active|resource|kind</c>, with
    /// <c>|principal</c> when it is about one (markers written before principals keep the shorter key they had).
    /// </summary>
    private static string ActiveRow(string resource, AlertKind kind, string? principal) =>
        $"{ActivePrefix}{TableKeys.Fold(resource)}|{kind}" + (principal is null ? "" : "|" + TableKeys.Fold(principal));

    /// <summary>The kind in a marker's key (<c>active|resource|kind[|principal]</c>).</summary>
    private static AlertKind KindOf(string activeRow, string resourceKey)
    {
        string rest = activeRow[(ActivePrefix.Length + resourceKey.Length + 1)..];
        int end = rest.IndexOf('|', StringComparison.Ordinal);
        return Enum.Parse<AlertKind>(end < 0 ? rest : rest[..end]);
    }

    private static string AlertRow(long position) => AlertPrefix + position.ToString("D19",
        CultureInfo.InvariantCulture);

    private static long PositionOf(string row) => long.Parse(row.AsSpan(AlertPrefix.Length),
        CultureInfo.InvariantCulture);
}
