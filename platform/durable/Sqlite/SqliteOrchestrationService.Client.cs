using DurableTask.Core;
using DurableTask.Core.Exceptions;
using DurableTask.Core.History;
using DurableTask.Core.Query;
using Microsoft.Data.Sqlite;

namespace EdgeKv.Durable.Sqlite;

/// <summary>The client side: starting, signalling, reading, waiting for, querying and purging instances.</summary>
public sealed partial class SqliteOrchestrationService
{
    /// <summary>Starts an instance; an active instance with the same id refuses it.</summary>
    public Task CreateTaskOrchestrationAsync(TaskMessage creationMessage) => CreateTaskOrchestrationAsync(creationMessage, []);

    /// <summary>
    /// Starts an instance. An existing instance whose status is in <paramref name="dedupeStatuses"/> refuses the start
    /// with <see cref="OrchestrationAlreadyExistsException"/>; without dedupe statuses an active one (pending,
    /// running, suspended) refuses it. Any other existing instance is replaced.
    /// </summary>
    public async Task CreateTaskOrchestrationAsync(TaskMessage creationMessage, OrchestrationStatus[] dedupeStatuses)
    {
        ArgumentNullException.ThrowIfNull(creationMessage);
        if (creationMessage.Event is not ExecutionStartedEvent) throw new ArgumentException("A creation message carries an ExecutionStartedEvent.", nameof(creationMessage));
        await OpenAsync();
        Outbound start = ToOutbound(creationMessage);
        OrchestrationStatus[] refused = dedupeStatuses is { Length: > 0 } ? dedupeStatuses : ActiveStatuses;
        long now = Now();
        OrchestrationStatus? existing = await _db.WriteAsync<OrchestrationStatus?>(tx =>
        {
            int? status = _db.Scalar<int?>(tx, "SELECT status FROM instances WHERE instance_id = $id",
                ("$id", start.InstanceId));
            if (status is int s && Array.IndexOf(refused, (OrchestrationStatus)s) >= 0) return (OrchestrationStatus)s;
            if (status is not null) DeleteInstanceRows(tx, start.InstanceId);
            InsertInstance(tx, start.InstanceId, start.ExecutionId ?? string.Empty, start.StartState!, now);
            InsertMessage(tx, start.InstanceId, EventType.ExecutionStarted, start.VisibleAt, start.Payload);
            return null;
        });
        if (existing is OrchestrationStatus found)
        {
            Logs.DuplicateStartRefused(_logger, start.InstanceId, found.ToString());
            throw new OrchestrationAlreadyExistsException($"An orchestration with id '{start.InstanceId}' already exists and is {found}.");
        }

        NotifyInstances([start.InstanceId]);
    }

    /// <summary>
    /// Queues a message (an event, terminate, suspend, resume) for an existing instance; one for an unknown instance is
    /// dropped.
    /// </summary>
    public Task SendTaskOrchestrationMessageAsync(TaskMessage message) => SendTaskOrchestrationMessageBatchAsync(message);

    public async Task SendTaskOrchestrationMessageBatchAsync(params TaskMessage[] messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        await OpenAsync();
        List<Outbound> outbound = [.. messages.Select(ToOutbound)];
        long now = Now();
        List<string> delivered = await _db.WriteAsync(tx => outbound.Where(m => Deliver(tx, m,
            now)).Select(m => m.InstanceId).ToList());
        NotifyInstances(delivered);
    }

    public Task ForceTerminateTaskOrchestrationAsync(string instanceId, string reason) =>
        SendTaskOrchestrationMessageAsync(new TaskMessage
        {
            OrchestrationInstance = new OrchestrationInstance { InstanceId = instanceId },
            Event = new ExecutionTerminatedEvent(-1, reason),
        });

    /// <summary>
    /// Waits until the instance completes, fails or is terminated; null if it has not when the timeout ends.
    /// </summary>
    public async Task<OrchestrationState?> WaitForOrchestrationAsync(string instanceId, string executionId,
        TimeSpan timeout, CancellationToken cancellationToken)
    {
        await OpenAsync();
        var backoff = new PollingBackoff(_settings.MinPollingInterval, _settings.MaxPollingInterval);
        long deadline = timeout == Timeout.InfiniteTimeSpan || timeout == TimeSpan.MaxValue ? long.MaxValue : Now() + timeout.Ticks;
        AsyncSignal? signal = null;
        try
        {
            while (true)
            {
                // Completions in this process wake the waiter; other processes' are found by polling.
                signal = _completionSignals.GetOrAdd(instanceId, _ => new AsyncSignal());
                Task signalled = signal.WaitHandle;
                OrchestrationState? state = await GetOrchestrationStateAsync(instanceId, executionId: null);
                if (state is not null && IsTerminal(state.OrchestrationStatus)) return state;
                long now = Now();
                if (now >= deadline) return null;
                TimeSpan wait = backoff.Next();
                if (deadline != long.MaxValue && wait.Ticks > deadline - now) wait = TimeSpan.FromTicks(deadline - now);
                await AsyncSignal.WaitAsync(signalled, wait, _time, cancellationToken);
            }
        }
        finally
        {
            if (signal is not null) _completionSignals.TryRemove(new KeyValuePair<string, AsyncSignal>(instanceId,
                signal));
        }
    }

    /// <summary>The instance's state (this provider keeps the latest execution only).</summary>
    public async Task<IList<OrchestrationState>> GetOrchestrationStateAsync(string instanceId, bool allExecutions)
    {
        OrchestrationState? state = await GetOrchestrationStateAsync(instanceId, executionId: null);
        return state is null ? [] : [state];
    }

    public async Task<OrchestrationState?> GetOrchestrationStateAsync(string instanceId, string? executionId)
    {
        ArgumentNullException.ThrowIfNull(instanceId);
        await OpenAsync();
        string? json = await _db.ReadAsync(tx => _db.Scalar<string>(tx,
            "SELECT state FROM instances WHERE instance_id = $id", ("$id", instanceId)));
        if (json is null) return null;
        OrchestrationState state = DurableJson.Deserialize<OrchestrationState>(json);
        return executionId is null || string.Equals(executionId, state.OrchestrationInstance?.ExecutionId,
            StringComparison.Ordinal) ? state : null;
    }

    /// <summary>
    /// The history of the instance's latest execution, as a JSON array of the framework's events with type names.
    /// </summary>
    public async Task<string> GetOrchestrationHistoryAsync(string instanceId, string? executionId)
    {
        ArgumentNullException.ThrowIfNull(instanceId);
        await OpenAsync();
        List<string> rows = await _db.ReadAsync(tx =>
        {
            var payloads = new List<string>();
            SqliteCommand cmd = _db.Cmd(tx,
                """
                SELECT h.payload FROM history h JOIN instances i ON i.instance_id = h.instance_id AND i.execution_id = h.execution_id
                WHERE h.instance_id = $id AND ($ex IS NULL OR h.execution_id = $ex) ORDER BY h.sequence
                """,
                ("$id", instanceId), ("$ex", executionId));
            using SqliteDataReader r = cmd.ExecuteReader();
            while (r.Read()) payloads.Add(r.GetString(0));
            return payloads;
        });
        return DurableJson.Serialize(rows.Select(DurableJson.Deserialize<HistoryEvent>).ToList());
    }

    /// <summary>Deletes finished instances whose chosen time is before the threshold.</summary>
    public async Task PurgeOrchestrationHistoryAsync(DateTime thresholdDateTimeUtc,
        OrchestrationStateTimeRangeFilterType timeRangeFilterType)
    {
        string column = timeRangeFilterType switch
        {
            OrchestrationStateTimeRangeFilterType.OrchestrationCreatedTimeFilter => "created_at",
            OrchestrationStateTimeRangeFilterType.OrchestrationLastUpdatedTimeFilter => "last_updated_at",
            _ => "completed_at",
        };
        await PurgeWhereAsync($"{column} < $threshold", [("$threshold",
            UtcTicks.Of(thresholdDateTimeUtc))], TerminalStatuses);
    }

    /// <summary>
    /// Deletes a finished instance (completed, failed, terminated); an active one is left alone (0 deleted).
    /// </summary>
    public async Task<PurgeResult> PurgeInstanceStateAsync(string instanceId)
    {
        ArgumentNullException.ThrowIfNull(instanceId);
        int deleted = await PurgeWhereAsync("instance_id = $id", [("$id", instanceId)], TerminalStatuses);
        return new PurgeResult(deleted, isComplete: true);
    }

    /// <summary>
    /// Deletes the finished instances created in the filter's range whose status it names (all finished ones if none).
    /// </summary>
    public async Task<PurgeResult> PurgeInstanceStateAsync(PurgeInstanceFilter purgeInstanceFilter)
    {
        ArgumentNullException.ThrowIfNull(purgeInstanceFilter);
        OrchestrationStatus[] statuses = purgeInstanceFilter.RuntimeStatus is { } wanted ? [.. wanted.Where(IsTerminal)] : TerminalStatuses;
        if (statuses.Length == 0) return new PurgeResult(0, isComplete: true);
        var parameters = new List<(string, object?)> { ("$from", UtcTicks.Of(purgeInstanceFilter.CreatedTimeFrom)) };
        string where = "created_at >= $from";
        if (purgeInstanceFilter.CreatedTimeTo is DateTime to)
        {
            where += " AND created_at <= $to";
            parameters.Add(("$to", UtcTicks.Of(to)));
        }

        int deleted = await PurgeWhereAsync(where, parameters, statuses);
        return new PurgeResult(deleted, isComplete: true);
    }

    /// <summary>
    /// One page of instances matching the query, oldest first (by created time, then id), with a continuation token
    /// when more follow. Status, created-time range and instance-id prefix filter; a query for other task hubs is
    /// empty.
    /// </summary>
    public async Task<OrchestrationQueryResult> GetOrchestrationWithQueryAsync(OrchestrationQuery query,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await OpenAsync();
        if (query.TaskHubNames is { Count: > 0 } hubs && !hubs.Contains(_settings.TaskHubName,
            StringComparer.OrdinalIgnoreCase))
        {
            return new OrchestrationQueryResult([], null);
        }

        int pageSize = query.PageSize > 0 ? query.PageSize : 100;
        (string where, List<(string, object?)> parameters) = QueryFilter.Build(query);
        parameters.Add(("$limit", pageSize + 1));
        string sql = $"SELECT created_at, instance_id, state FROM instances WHERE {where} ORDER BY created_at, instance_id LIMIT $limit";
        List<(long Created, string Id, string State)> rows = await _db.ReadAsync(tx =>
        {
            var found = new List<(long, string, string)>();
            using SqliteCommand cmd = TaskHubDatabase.Dynamic(tx, sql, parameters);
            using SqliteDataReader r = cmd.ExecuteReader();
            while (r.Read()) found.Add((r.GetInt64(0), r.GetString(1), r.GetString(2)));
            return found;
        }, cancellationToken);

        var states = new List<OrchestrationState>(Math.Min(rows.Count, pageSize));
        foreach ((_, _, string json) in rows.Take(pageSize))
        {
            OrchestrationState state = DurableJson.Deserialize<OrchestrationState>(json);
            if (!query.FetchInputsAndOutputs)
            {
                state.Input = null;
                state.Output = null;
            }

            states.Add(state);
        }

        string? token = rows.Count > pageSize ? QueryFilter.Token(rows[pageSize - 1].Created,
            rows[pageSize - 1].Id) : null;
        return new OrchestrationQueryResult(states, token);
    }

    private async Task<int> PurgeWhereAsync(string where, List<(string, object?)> parameters,
        OrchestrationStatus[] statuses)
    {
        await OpenAsync();
        string sql = $"SELECT instance_id FROM instances WHERE ({where}) AND status IN ({string.Join(", ", statuses.Select(s => (int)s))})";
        return await _db.WriteAsync(tx =>
        {
            var ids = new List<string>();
            using (SqliteCommand cmd = TaskHubDatabase.Dynamic(tx, sql, parameters))
            using (SqliteDataReader r = cmd.ExecuteReader())
            {
                while (r.Read()) ids.Add(r.GetString(0));
            }

            foreach (string id in ids) DeleteInstanceRows(tx, id);
            return ids.Count;
        });
    }
}
