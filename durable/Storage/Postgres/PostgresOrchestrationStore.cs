using EdgeKv.Durable.History;
using Npgsql;

namespace EdgeKv.Durable.Storage.Postgres;

/// <summary>
/// A task hub in PostgreSQL, for several hosts sharing one hub. Writes go through a group commit on one connection
/// (each caller under its own savepoint, retried alone after a deadlock); leasing uses <c>FOR UPDATE SKIP LOCKED</c>,
/// so hosts never wait on each other's candidate rows and never take the same work; reads use pooled connections and
/// do not queue behind writes. Split-brain is detected as in SQLite: a stale lease or a history key conflict is a
/// <see cref="LeaseLostException"/>.
/// </summary>
public sealed class PostgresOrchestrationStore : IOrchestrationStore
{
    private const int MaxWritesPerCommit = 256;

    private readonly PostgresStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _writer = new(1, 1);
    private readonly GroupCommitQueue<Func<NpgsqlTransaction, Task<object?>>> _writes;
    private NpgsqlDataSource? _dataSource;
    private NpgsqlConnection? _writeConnection;

    public PostgresOrchestrationStore(PostgresStoreOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _time = time;
        _writes = new GroupCommitQueue<Func<NpgsqlTransaction, Task<object?>>>(MaxWritesPerCommit, CommitBatchAsync);
    }

    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        if (_dataSource is not null) return;
        var builder = new NpgsqlConnectionStringBuilder(_options.ConnectionString)
        {
            SearchPath = PostgresSchema.Identifier(_options.Schema),
            MaxAutoPrepare = Math.Max(new NpgsqlConnectionStringBuilder(_options.ConnectionString).MaxAutoPrepare, 64),
        };
        var dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
        await using (NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            await PostgresSchema.ApplyAsync(connection, _options.Schema, _time, cancellationToken);
        }

        _dataSource = dataSource;
    }

    public Task<bool> CreateInstanceAsync(string instanceId, ExecutionStartedEvent started, DateTime? startAt, CancellationToken cancellationToken = default)
        => WriteAsync(async tx =>
        {
            long now = Now();
            int? status = await ScalarAsync<int?>(tx, "SELECT status FROM instances WHERE instance_id = @id FOR UPDATE", ("id", instanceId));
            if (status is int s && InstanceRows.ActiveStatuses.Contains(s)) return false;
            if (status is not null) await DeleteInstanceRowsAsync(tx, instanceId);
            // Another host may create the same id at the same moment (no row to lock yet): its insert wins, ours is told.
            if (await InsertInstanceAsync(tx, instanceId, started, now) == 0) return false;
            await InsertMessageAsync(tx, instanceId, started, startAt?.Ticks ?? now);
            return true;
        }, cancellationToken);

    public Task<bool> SendMessageAsync(OutboundMessage message, CancellationToken cancellationToken = default)
        => WriteAsync(async tx =>
        {
            ArgumentNullException.ThrowIfNull(message);
            if (await ScalarAsync<int?>(tx, "SELECT 1 FROM instances WHERE instance_id = @id", ("id", message.InstanceId)) is null) return false;
            await InsertMessageAsync(tx, message.InstanceId, message.Event, message.VisibleAt?.Ticks ?? Now());
            return true;
        }, cancellationToken);

    public Task<OrchestrationWorkItem?> LockNextOrchestrationAsync(string owner, TimeSpan lease, CancellationToken cancellationToken = default)
        => WriteAsync(async tx =>
        {
            long now = Now();
            // SKIP LOCKED: an instance another host is leasing right now is passed over, not waited for.
            string? instanceId = await ScalarAsync<string?>(tx,
                """
                SELECT m.instance_id FROM orchestration_messages m JOIN instances i ON i.instance_id = m.instance_id
                WHERE m.visible_at <= @now AND (i.lock_expires_at IS NULL OR i.lock_expires_at <= @now)
                ORDER BY m.visible_at, m.sequence LIMIT 1 FOR UPDATE OF i SKIP LOCKED
                """,
                ("now", now));
            return instanceId is null ? null : await LeaseInstanceAsync(tx, instanceId, owner, lease, now);
        }, cancellationToken);

    public Task<IReadOnlyList<HistoryEvent>> GetHistoryAsync(string instanceId, CancellationToken cancellationToken = default)
        => ReadAsync<IReadOnlyList<HistoryEvent>>(async connection =>
        {
            var events = new List<HistoryEvent>();
            await using NpgsqlCommand cmd = Command(connection, null,
                """
                SELECT h.payload FROM history h JOIN instances i ON i.instance_id = h.instance_id AND i.execution_id = h.execution_id
                WHERE h.instance_id = @id ORDER BY h.sequence
                """,
                ("id", instanceId));
            await using NpgsqlDataReader r = await cmd.ExecuteReaderAsync(cancellationToken);
            while (await r.ReadAsync(cancellationToken)) events.Add(HistorySerializer.Deserialize(r.GetString(0)));
            return events;
        }, cancellationToken);

    public Task<OrchestrationCommit> CompleteOrchestrationAsync(
        OrchestrationWorkItem workItem, OrchestrationCheckpoint checkpoint, WorkLease? lease = null, CancellationToken cancellationToken = default)
        => WriteAsync(async tx =>
        {
            ArgumentNullException.ThrowIfNull(workItem);
            ArgumentNullException.ThrowIfNull(checkpoint);
            long now = Now();
            bool finished = checkpoint.Status.IsTerminal();
            int added = checkpoint.NewHistory.Count;

            // One statement checks the lease, writes the instance's new state and says where the new events start in its
            // history (the stored position, whatever the work item believed).
            int? first = await ScalarAsync<int?>(tx,
                """
                UPDATE instances SET execution_id = @ex, name = @name, status = @status, input = @input, output = @output,
                    custom_status = @custom, failure = @failure, last_updated_at = @now,
                    completed_at = CASE WHEN @finished THEN @now ELSE NULL END,
                    history_count = CASE WHEN @reset THEN @added ELSE history_count + @added END, lock_owner = NULL, lock_expires_at = NULL
                WHERE instance_id = @id AND lock_owner = @token
                RETURNING history_count - @added
                """,
                ("ex", checkpoint.ExecutionId), ("name", checkpoint.Name), ("status", (int)checkpoint.Status), ("input", checkpoint.Input),
                ("output", checkpoint.Output), ("custom", checkpoint.CustomStatus),
                ("failure", checkpoint.FailureDetails is null ? null : HistorySerializer.SerializeFailure(checkpoint.FailureDetails)),
                ("now", now), ("finished", finished), ("reset", checkpoint.ResetHistory), ("added", added), ("id", workItem.InstanceId), ("token", workItem.LockToken));
            if (first is not int start) throw new LeaseLostException($"The lease on instance '{workItem.InstanceId}' was lost.");

            // The rest of the episode's writes go as one batch (one round trip): history reset and new events, consumed
            // messages, a finished instance's leftovers, and the scheduled activities (the first MaxActivities leased here).
            var leasedActivities = new List<ActivityWorkItem>();
            string? activityToken = lease is null ? null : $"{lease.Owner}:{Guid.NewGuid():N}";
            DateTime leasedUntil = new DateTime(now, DateTimeKind.Utc) + (lease?.Duration ?? TimeSpan.Zero);
            int leaseCount = lease is null ? 0 : Math.Min(lease.MaxActivities, checkpoint.Activities.Count);
            await using (var batch = new NpgsqlBatch(tx.Connection, tx))
            {
                if (checkpoint.ResetHistory) Add(batch, "DELETE FROM history WHERE instance_id = @id", ("id", workItem.InstanceId));
                if (added > 0)
                {
                    Add(batch,
                        """
                        INSERT INTO history (instance_id, execution_id, sequence, event_type, timestamp, payload)
                        SELECT @id, @ex, e.seq, e.type, e.ts, e.payload FROM unnest(@seqs, @types, @tss, @payloads) AS e(seq, type, ts, payload)
                        """,
                        ("id", workItem.InstanceId), ("ex", checkpoint.ExecutionId),
                        ("seqs", Enumerable.Range(start, added).ToArray()),
                        ("types", checkpoint.NewHistory.Select(e => e.EventType).ToArray()),
                        ("tss", checkpoint.NewHistory.Select(e => e.Timestamp.Ticks).ToArray()),
                        ("payloads", checkpoint.NewHistory.Select(HistorySerializer.Serialize).ToArray()));
                }

                if (workItem.Messages.Count > 0)
                {
                    Add(batch, "DELETE FROM orchestration_messages WHERE sequence = ANY(@s)", ("s", workItem.Messages.Select(m => m.SequenceNumber).ToArray()));
                }

                if (finished)
                {
                    // Nothing more can happen to a finished instance: its leftover timers and activities go.
                    Add(batch, "DELETE FROM activity_tasks WHERE instance_id = @id", ("id", workItem.InstanceId));
                    Add(batch, "DELETE FROM orchestration_messages WHERE instance_id = @id", ("id", workItem.InstanceId));
                }

                if (checkpoint.Activities.Count > 0)
                {
                    Add(batch,
                        """
                        INSERT INTO activity_tasks (instance_id, execution_id, task_id, name, input, visible_at, lock_owner, lock_expires_at, dequeue_count)
                        SELECT @id, @ex, a.task, a.name, a.input, @now,
                            CASE WHEN a.ord <= @leased THEN @owner END, CASE WHEN a.ord <= @leased THEN @exp END, CASE WHEN a.ord <= @leased THEN 1 ELSE 0 END
                        FROM unnest(@tasks, @names, @inputs) WITH ORDINALITY AS a(task, name, input, ord)
                        ORDER BY a.ord
                        RETURNING task_id, sequence
                        """,
                        ("id", workItem.InstanceId), ("ex", checkpoint.ExecutionId), ("now", now), ("leased", (long)leaseCount),
                        ("owner", activityToken ?? string.Empty), ("exp", leasedUntil.Ticks),
                        ("tasks", checkpoint.Activities.Select(a => a.TaskId).ToArray()),
                        ("names", checkpoint.Activities.Select(a => a.Name).ToArray()),
                        ("inputs", checkpoint.Activities.Select(a => a.Input).ToArray()));
                }

                if (batch.BatchCommands.Count > 0)
                {
                    var sequences = new Dictionary<int, long>();
                    try
                    {
                        // Only the activities' insert returns rows; Npgsql's reader passes over the statements that return none.
                        await using NpgsqlDataReader r = await batch.ExecuteReaderAsync();
                        do
                        {
                            if (r.FieldCount == 2)
                            {
                                while (await r.ReadAsync()) sequences[r.GetInt32(0)] = r.GetInt64(1);
                            }
                        }
                        while (await r.NextResultAsync());
                    }
                    catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
                    {
                        throw new LeaseLostException($"Another writer appended to the history of '{workItem.InstanceId}'.", ex);
                    }

                    foreach (ActivityRequest a in checkpoint.Activities.Take(leaseCount))
                    {
                        leasedActivities.Add(new ActivityWorkItem(sequences[a.TaskId], workItem.InstanceId, checkpoint.ExecutionId, a.TaskId, a.Name, a.Input, 1, activityToken!, leasedUntil));
                    }
                }
            }

            foreach (OutboundMessage m in checkpoint.Messages)
            {
                await DeliverAsync(tx, m, workItem.InstanceId, now);
            }

            // Messages that arrived during the episode: keep the instance and hand its next batch straight back.
            OrchestrationWorkItem? next = lease is not null && !finished ? await LeaseInstanceAsync(tx, workItem.InstanceId, lease.Owner, lease.Duration, now) : null;
            return new OrchestrationCommit(leasedActivities, next);
        }, cancellationToken);

    public Task AbandonOrchestrationAsync(OrchestrationWorkItem workItem, CancellationToken cancellationToken = default)
        => WriteAsync(async tx =>
        {
            ArgumentNullException.ThrowIfNull(workItem);
            await ExecAsync(tx, "UPDATE instances SET lock_owner = NULL, lock_expires_at = NULL WHERE instance_id = @id AND lock_owner = @owner",
                ("id", workItem.InstanceId), ("owner", workItem.LockToken));
            return true;
        }, cancellationToken);

    public Task<IReadOnlyList<ActivityWorkItem>> LockNextActivitiesAsync(string owner, int maxCount, TimeSpan lease, CancellationToken cancellationToken = default)
        => WriteAsync<IReadOnlyList<ActivityWorkItem>>(async tx =>
        {
            long now = Now();
            string token = $"{owner}:{Guid.NewGuid():N}";
            DateTime lockedUntil = new DateTime(now, DateTimeKind.Utc) + lease;
            var items = new List<ActivityWorkItem>();
            await using NpgsqlCommand cmd = Command(tx.Connection!, tx,
                $"""
                UPDATE activity_tasks SET lock_owner = @owner, lock_expires_at = @exp, dequeue_count = dequeue_count + 1
                WHERE sequence IN (
                    SELECT sequence FROM activity_tasks
                    WHERE visible_at <= @now AND (lock_expires_at IS NULL OR lock_expires_at <= @now)
                    ORDER BY sequence LIMIT @max FOR UPDATE SKIP LOCKED)
                RETURNING {ActivityRows.LeasedColumns}
                """,
                ("owner", token), ("exp", lockedUntil.Ticks), ("now", now), ("max", maxCount));
            await using (NpgsqlDataReader r = await cmd.ExecuteReaderAsync())
            {
                while (await r.ReadAsync())
                {
                    items.Add(ActivityRows.Map(r, token, lockedUntil));
                }
            }

            items.Sort((a, b) => a.SequenceNumber.CompareTo(b.SequenceNumber));
            return items;
        }, cancellationToken);

    public Task<ActivityCommit> CompleteActivityAsync(ActivityWorkItem workItem, HistoryEvent result, WorkLease? lease = null, CancellationToken cancellationToken = default)
        => WriteAsync(async tx =>
        {
            ArgumentNullException.ThrowIfNull(workItem);
            long now = Now();
            // The activity goes and its result is queued in one statement; nothing is queued if the lease was lost.
            int queued = await ExecAsync(tx,
                """
                WITH done AS (DELETE FROM activity_tasks WHERE sequence = @s AND lock_owner = @owner RETURNING instance_id)
                INSERT INTO orchestration_messages (instance_id, event_type, payload, visible_at) SELECT instance_id, @type, @payload, @now FROM done
                """,
                ("s", workItem.SequenceNumber), ("owner", workItem.LockToken), ("type", result.EventType), ("payload", HistorySerializer.Serialize(result)), ("now", now));
            if (queued == 0) return new ActivityCommit(false, null);
            OrchestrationWorkItem? next = lease is null ? null : await LeaseInstanceAsync(tx, workItem.InstanceId, lease.Owner, lease.Duration, now);
            return new ActivityCommit(true, next);
        }, cancellationToken);

    public Task<bool> RenewActivityLeaseAsync(ActivityWorkItem workItem, TimeSpan lease, CancellationToken cancellationToken = default)
        => WriteAsync(async tx => await ExecAsync(tx, "UPDATE activity_tasks SET lock_expires_at = @exp WHERE sequence = @s AND lock_owner = @owner",
            ("exp", Now() + lease.Ticks), ("s", workItem.SequenceNumber), ("owner", workItem.LockToken)) == 1, cancellationToken);

    public Task AbandonActivityAsync(ActivityWorkItem workItem, CancellationToken cancellationToken = default)
        => WriteAsync(async tx =>
        {
            ArgumentNullException.ThrowIfNull(workItem);
            await ExecAsync(tx, "UPDATE activity_tasks SET lock_owner = NULL, lock_expires_at = NULL WHERE sequence = @s AND lock_owner = @owner",
                ("s", workItem.SequenceNumber), ("owner", workItem.LockToken));
            return true;
        }, cancellationToken);

    public Task<OrchestrationInstance?> GetInstanceAsync(string instanceId, CancellationToken cancellationToken = default)
        => ReadAsync(async connection =>
        {
            await using NpgsqlCommand cmd = Command(connection, null, $"SELECT {InstanceRows.Columns} FROM instances WHERE instance_id = @id", ("id", instanceId));
            await using NpgsqlDataReader r = await cmd.ExecuteReaderAsync(cancellationToken);
            return await r.ReadAsync(cancellationToken) ? InstanceRows.Map(r) : null;
        }, cancellationToken);

    public Task<InstancePage> QueryInstancesAsync(InstanceQuery query, CancellationToken cancellationToken = default)
        => ReadAsync(async connection =>
        {
            ArgumentNullException.ThrowIfNull(query);
            // COLLATE "C": ids compare and sort by bytes, as in SQLite, so a continuation token means the same on both stores.
            (string sql, (string Name, object? Value)[] parameters, int pageSize) = InstanceQuerySql.Build(query, "@", " COLLATE \"C\"");
            var rows = new List<OrchestrationInstance>();
            await using (NpgsqlCommand cmd = Command(connection, null, sql, parameters))
            await using (NpgsqlDataReader r = await cmd.ExecuteReaderAsync(cancellationToken))
            {
                while (await r.ReadAsync(cancellationToken)) rows.Add(InstanceRows.Map(r));
            }

            return InstanceQuerySql.ToPage(rows, pageSize);
        }, cancellationToken);

    public Task<int> PurgeInstanceAsync(string instanceId, CancellationToken cancellationToken = default)
        => WriteAsync(async tx =>
        {
            int? status = await ScalarAsync<int?>(tx, "SELECT status FROM instances WHERE instance_id = @id FOR UPDATE", ("id", instanceId));
            if (status is not int s || !((OrchestrationRuntimeStatus)s).IsTerminal()) return 0;
            await DeleteInstanceRowsAsync(tx, instanceId);
            return 1;
        }, cancellationToken);

    public Task<int> PurgeInstancesAsync(PurgeFilter filter, CancellationToken cancellationToken = default)
        => WriteAsync(async tx =>
        {
            ArgumentNullException.ThrowIfNull(filter);
            int[] statuses = InstanceRows.PurgeableStatuses(filter);
            if (statuses.Length == 0) return 0;
            var ids = new List<string>();
            await using (NpgsqlCommand cmd = Command(tx.Connection!, tx,
                "SELECT instance_id FROM instances WHERE status = ANY(@st) AND created_at >= @from AND created_at <= @to FOR UPDATE",
                ("st", statuses), ("from", (filter.CreatedFrom ?? DateTime.MinValue).Ticks), ("to", (filter.CreatedTo ?? DateTime.MaxValue).Ticks)))
            await using (NpgsqlDataReader r = await cmd.ExecuteReaderAsync())
            {
                while (await r.ReadAsync()) ids.Add(r.GetString(0));
            }

            foreach (string id in ids) await DeleteInstanceRowsAsync(tx, id);
            return ids.Count;
        }, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _writer.WaitAsync();
        try
        {
            if (_writeConnection is not null) await _writeConnection.DisposeAsync();
            _writeConnection = null;
            if (_dataSource is not null) await _dataSource.DisposeAsync();
            _dataSource = null;
        }
        finally
        {
            _writer.Release();
        }

        _writer.Dispose();
    }

    private long Now() => _time.GetUtcNow().UtcTicks;

    /// <summary>Leases an instance that is free and has visible messages, with those messages; null otherwise.</summary>
    private static async Task<OrchestrationWorkItem?> LeaseInstanceAsync(NpgsqlTransaction tx, string instanceId, string owner, TimeSpan lease, long now)
    {
        string token = $"{owner}:{Guid.NewGuid():N}";
        DateTime lockedUntil = new DateTime(now, DateTimeKind.Utc) + lease;
        OrchestrationInstance? instance = null;
        await using (NpgsqlCommand lockIt = Command(tx.Connection!, tx,
            $"UPDATE instances SET lock_owner = @owner, lock_expires_at = @exp WHERE instance_id = @id AND (lock_expires_at IS NULL OR lock_expires_at <= @now) RETURNING {InstanceRows.Columns}",
            ("owner", token), ("exp", lockedUntil.Ticks), ("id", instanceId), ("now", now)))
        await using (NpgsqlDataReader r = await lockIt.ExecuteReaderAsync())
        {
            if (await r.ReadAsync()) instance = InstanceRows.Map(r);
        }

        if (instance is null) return null;

        var messages = new List<InstanceMessage>();
        await using (NpgsqlCommand cmd = Command(tx.Connection!, tx,
            "UPDATE orchestration_messages SET dequeue_count = dequeue_count + 1 WHERE instance_id = @id AND visible_at <= @now RETURNING sequence, payload, dequeue_count",
            ("id", instanceId), ("now", now)))
        await using (NpgsqlDataReader r = await cmd.ExecuteReaderAsync())
        {
            while (await r.ReadAsync()) messages.Add(new InstanceMessage(r.GetInt64(0), HistorySerializer.Deserialize(r.GetString(1)), r.GetInt32(2)));
        }

        if (messages.Count == 0)
        {
            await ExecAsync(tx, "UPDATE instances SET lock_owner = NULL, lock_expires_at = NULL WHERE instance_id = @id", ("id", instanceId));
            return null;
        }

        messages.Sort((a, b) => a.SequenceNumber.CompareTo(b.SequenceNumber));
        return new OrchestrationWorkItem(instanceId, instance, messages, token, lockedUntil);
    }

    private static async Task DeliverAsync(NpgsqlTransaction tx, OutboundMessage m, string senderId, long now)
    {
        long visibleAt = m.VisibleAt?.Ticks ?? now;
        if (m.InstanceId == senderId)
        {
            await InsertMessageAsync(tx, m.InstanceId, m.Event, visibleAt);
            return;
        }

        if (m.Event is ExecutionStartedEvent started)
        {
            // Starting a sub-orchestration: create the child unless one with that id is still active.
            int? status = await ScalarAsync<int?>(tx, "SELECT status FROM instances WHERE instance_id = @id FOR UPDATE", ("id", m.InstanceId));
            if (status is int s && InstanceRows.ActiveStatuses.Contains(s))
            {
                await RefuseChildAsync(tx, started, m.InstanceId, senderId, now);
                return;
            }

            if (status is not null) await DeleteInstanceRowsAsync(tx, m.InstanceId);
            if (await InsertInstanceAsync(tx, m.InstanceId, started, now) == 0)
            {
                await RefuseChildAsync(tx, started, m.InstanceId, senderId, now); // created by another host at the same moment
                return;
            }

            await InsertMessageAsync(tx, m.InstanceId, started, visibleAt);
            return;
        }

        // Results sent to a parent that was purged meanwhile are dropped.
        if (await ScalarAsync<int?>(tx, "SELECT 1 FROM instances WHERE instance_id = @id", ("id", m.InstanceId)) is not null)
        {
            await InsertMessageAsync(tx, m.InstanceId, m.Event, visibleAt);
        }
    }

    /// <summary>The parent learns that its sub-orchestration's id is taken by an active instance.</summary>
    private static async Task RefuseChildAsync(NpgsqlTransaction tx, ExecutionStartedEvent started, string childId, string senderId, long now)
    {
        if (started.Parent is not { } parent) return;
        var refused = new SubOrchestrationFailedEvent(parent.TaskScheduledId, new TaskFailureDetails(
            typeof(InvalidOperationException).FullName!, $"An instance with id '{childId}' is already active.")) { Timestamp = new DateTime(now, DateTimeKind.Utc) };
        await InsertMessageAsync(tx, senderId, refused, now);
    }

    private static Task<int> InsertInstanceAsync(NpgsqlTransaction tx, string instanceId, ExecutionStartedEvent started, long now)
        => ExecAsync(tx,
            """
            INSERT INTO instances (instance_id, execution_id, name, status, input, created_at, last_updated_at, parent_instance_id, history_count)
            VALUES (@id, @ex, @name, @status, @input, @now, @now, @parent, 0)
            ON CONFLICT (instance_id) DO NOTHING
            """,
            ("id", instanceId), ("ex", started.ExecutionId), ("name", started.Name), ("status", (int)OrchestrationRuntimeStatus.Pending),
            ("input", started.Input), ("now", now), ("parent", started.Parent?.InstanceId));

    private static Task<int> InsertMessageAsync(NpgsqlTransaction tx, string instanceId, HistoryEvent e, long visibleAt)
        => ExecAsync(tx, "INSERT INTO orchestration_messages (instance_id, event_type, payload, visible_at) VALUES (@id, @type, @payload, @visible)",
            ("id", instanceId), ("type", e.EventType), ("payload", HistorySerializer.Serialize(e)), ("visible", visibleAt));

    private static async Task DeleteInstanceRowsAsync(NpgsqlTransaction tx, string instanceId)
    {
        await ExecAsync(tx, "DELETE FROM history WHERE instance_id = @id", ("id", instanceId));
        await ExecAsync(tx, "DELETE FROM orchestration_messages WHERE instance_id = @id", ("id", instanceId));
        await ExecAsync(tx, "DELETE FROM activity_tasks WHERE instance_id = @id", ("id", instanceId));
        await ExecAsync(tx, "DELETE FROM instances WHERE instance_id = @id", ("id", instanceId));
    }

    /// <summary>
    /// A write through the group commit: it shares a transaction with the writes queued meanwhile, under its own
    /// savepoint, so one caller's failure (a lost lease) rolls back only its own changes, and a deadlock with another
    /// host retries only the caller that hit it.
    /// </summary>
    private async Task<T> WriteAsync<T>(Func<NpgsqlTransaction, Task<T>> work, CancellationToken cancellationToken) =>
        (T)(await _writes.WriteAsync(async tx => await work(tx), cancellationToken))!;

    private async Task<WriteOutcome[]> CommitBatchAsync(IReadOnlyList<Func<NpgsqlTransaction, Task<object?>>> batch)
    {
        await _writer.WaitAsync();
        try
        {
            NpgsqlConnection connection = await WriteConnectionAsync();
            if (batch.Count == 1) return [await RunAloneAsync(connection, batch[0])];
            var outcomes = new WriteOutcome[batch.Count];
            await using NpgsqlTransaction tx = await connection.BeginTransactionAsync();
            for (int i = 0; i < batch.Count; i++)
            {
                outcomes[i] = await RunUnderSavepointAsync(tx, batch[i]);
            }

            await tx.CommitAsync();
            return outcomes;
        }
        catch
        {
            await DropBrokenConnectionAsync();
            throw;
        }
        finally
        {
            _writer.Release();
        }
    }

    /// <summary>A write that has the transaction to itself needs no savepoint (two round trips fewer): on failure the transaction goes.</summary>
    private async Task<WriteOutcome> RunAloneAsync(NpgsqlConnection connection, Func<NpgsqlTransaction, Task<object?>> write)
    {
        for (int attempt = 0; ; attempt++)
        {
            await using NpgsqlTransaction tx = await connection.BeginTransactionAsync();
            bool committing = false;
            try
            {
                object? result = await write(tx);
                committing = true;
                await tx.CommitAsync();
                return new WriteOutcome(result, null);
            }
            catch (Exception ex) when (connection.State == System.Data.ConnectionState.Open)
            {
                if (!committing) await tx.RollbackAsync();
                if (!IsTransient(ex) || attempt >= _options.TransientRetries) return new WriteOutcome(null, ex);
            }
        }
    }

    private static bool IsTransient(Exception ex) =>
        ex is PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.LockNotAvailable };

    private async Task<WriteOutcome> RunUnderSavepointAsync(NpgsqlTransaction tx, Func<NpgsqlTransaction, Task<object?>> write)
    {
        for (int attempt = 0; ; attempt++)
        {
            await tx.SaveAsync("w");
            try
            {
                object? result = await write(tx);
                await tx.ReleaseAsync("w");
                return new WriteOutcome(result, null);
            }
            catch (Exception ex)
            {
                await tx.RollbackAsync("w");
                await tx.ReleaseAsync("w");
                if (!IsTransient(ex) || attempt >= _options.TransientRetries) return new WriteOutcome(null, ex);
            }
        }
    }

    private async Task<NpgsqlConnection> WriteConnectionAsync()
    {
        NpgsqlDataSource dataSource = _dataSource ?? throw new InvalidOperationException("The store is not initialized.");
        return _writeConnection ??= await dataSource.OpenConnectionAsync();
    }

    /// <summary>After a failed commit the connection may be gone (a server restart): the next batch opens a fresh one.</summary>
    private async Task DropBrokenConnectionAsync()
    {
        if (_writeConnection is { State: not System.Data.ConnectionState.Open })
        {
            await _writeConnection.DisposeAsync();
            _writeConnection = null;
        }
    }

    private async Task<T> ReadAsync<T>(Func<NpgsqlConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        NpgsqlDataSource dataSource = _dataSource ?? throw new InvalidOperationException("The store is not initialized.");
        await using NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await work(connection);
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlTransaction tx, string sql, params (string Name, object? Value)[] parameters)
    {
        await using NpgsqlCommand cmd = Command(tx.Connection!, tx, sql, parameters);
        object? value = await cmd.ExecuteScalarAsync();
        if (value is null or DBNull) return default!;
        Type target = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        return (T)Convert.ChangeType(value, target, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<int> ExecAsync(NpgsqlTransaction tx, string sql, params (string Name, object? Value)[] parameters)
    {
        await using NpgsqlCommand cmd = Command(tx.Connection!, tx, sql, parameters);
        return await cmd.ExecuteNonQueryAsync();
    }

    private static void Add(NpgsqlBatch batch, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach ((string name, object? value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        batch.BatchCommands.Add(command);
    }

    /// <summary>Statements are prepared automatically by Npgsql (<c>MaxAutoPrepare</c>), so hot SQL is parsed once per connection.</summary>
    private static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction? tx, string sql, params (string Name, object? Value)[] parameters)
    {
        var cmd = new NpgsqlCommand(sql, connection, tx);
        foreach ((string name, object? value) in parameters) cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return cmd;
    }
}
