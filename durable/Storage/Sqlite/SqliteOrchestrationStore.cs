using System.Globalization;
using EdgeKv.Durable.History;
using Microsoft.Data.Sqlite;

namespace EdgeKv.Durable.Storage.Sqlite;

/// <summary>
/// The embedded task hub: one SQLite file in WAL mode. One connection per store, used by one caller at a time;
/// several processes may share the file (SQLite's file locks and a busy timeout serialize their writers).
/// </summary>
public sealed class SqliteOrchestrationStore : IOrchestrationStore
{
    private readonly SqliteStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);
    private readonly GroupCommitQueue<Func<SqliteTransaction, object?>> _writes;
    private const int MaxWritesPerCommit = 256;
    private SqliteConnection? _connection;

    public SqliteOrchestrationStore(SqliteStoreOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
        _writes = new GroupCommitQueue<Func<SqliteTransaction, object?>>(MaxWritesPerCommit, CommitBatchAsync);
    }

    public string DatabasePath => _options.DatabasePath;

    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_connection is not null) return;
            string? folder = Path.GetDirectoryName(Path.GetFullPath(_options.DatabasePath));
            if (folder is not null) Directory.CreateDirectory(folder);
            if (!OperatingSystem.IsWindows() && !File.Exists(_options.DatabasePath))
            {
                // Owner-only from creation; SQLite gives the -wal and -shm files the database file's mode.
                using var created = new FileStream(_options.DatabasePath, new FileStreamOptions
                {
                    Mode = FileMode.OpenOrCreate, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
                });
            }

            var builder = new SqliteConnectionStringBuilder
            {
                DataSource = _options.DatabasePath,
                Mode = SqliteOpenMode.ReadWriteCreate,
                Pooling = false,
                DefaultTimeout = (int)_options.BusyTimeout.TotalSeconds,
            };
            var connection = new SqliteConnection(builder.ToString());
            connection.Open();
            string synchronous = _options.Durability == SqliteDurability.Full ? "FULL" : "NORMAL";
            Exec(connection, null, $"PRAGMA journal_mode=WAL; PRAGMA synchronous={synchronous}; PRAGMA busy_timeout={(int)_options.BusyTimeout.TotalMilliseconds}; PRAGMA temp_store=MEMORY;");
            SqliteSchema.Apply(connection, _time);
            _connection = connection;
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task<bool> CreateInstanceAsync(string instanceId, ExecutionStartedEvent started, DateTime? startAt, CancellationToken cancellationToken = default)
        => WriteAsync(tx =>
        {
            long now = Now();
            int? status = Scalar<int?>(tx, "SELECT status FROM instances WHERE instance_id = $id", ("$id", instanceId));
            if (status is int s && InstanceRows.ActiveStatuses.Contains(s)) return false;
            if (status is not null) DeleteInstanceRows(tx, instanceId);
            InsertInstance(tx, instanceId, started, now);
            InsertMessage(tx, instanceId, started, startAt?.Ticks ?? now);
            return true;
        }, cancellationToken);

    public Task<bool> SendMessageAsync(OutboundMessage message, CancellationToken cancellationToken = default)
        => WriteAsync(tx =>
        {
            if (Scalar<long?>(tx, "SELECT 1 FROM instances WHERE instance_id = $id", ("$id", message.InstanceId)) is null) return false;
            InsertMessage(tx, message.InstanceId, message.Event, message.VisibleAt?.Ticks ?? Now());
            return true;
        }, cancellationToken);

    public Task<OrchestrationWorkItem?> LockNextOrchestrationAsync(string owner, TimeSpan lease, CancellationToken cancellationToken = default)
        => WriteAsync(tx =>
        {
            long now = Now();
            string? instanceId = Scalar<string?>(
                tx,
                """
                SELECT m.instance_id FROM orchestration_messages m JOIN instances i ON i.instance_id = m.instance_id
                WHERE m.visible_at <= $now AND (i.lock_expires_at IS NULL OR i.lock_expires_at <= $now)
                ORDER BY m.visible_at, m.sequence LIMIT 1
                """,
                ("$now", now));
            return instanceId is null ? null : LeaseInstance(tx, instanceId, owner, lease, now);
        }, cancellationToken);

    /// <summary>Leases an instance that is free and has visible messages, with those messages; null otherwise.</summary>
    private OrchestrationWorkItem? LeaseInstance(SqliteTransaction tx, string instanceId, string owner, TimeSpan lease, long now)
    {
        string token = $"{owner}:{Guid.NewGuid():N}";
        DateTime lockedUntil = new DateTime(now, DateTimeKind.Utc) + lease;
        int leased = Exec(tx, "UPDATE instances SET lock_owner = $owner, lock_expires_at = $exp WHERE instance_id = $id AND (lock_expires_at IS NULL OR lock_expires_at <= $now)",
            ("$owner", token), ("$exp", lockedUntil.Ticks), ("$id", instanceId), ("$now", now));
        if (leased == 0) return null;

        var messages = new List<InstanceMessage>();
        SqliteCommand cmd = Cmd(tx,
            "UPDATE orchestration_messages SET dequeue_count = dequeue_count + 1 WHERE instance_id = $id AND visible_at <= $now RETURNING sequence, payload, dequeue_count",
            ("$id", instanceId), ("$now", now));
        using (SqliteDataReader r = cmd.ExecuteReader())
        {
            while (r.Read()) messages.Add(new InstanceMessage(r.GetInt64(0), HistorySerializer.Deserialize(r.GetString(1)), r.GetInt32(2)));
        }

        if (messages.Count == 0)
        {
            Exec(tx, "UPDATE instances SET lock_owner = NULL, lock_expires_at = NULL WHERE instance_id = $id", ("$id", instanceId));
            return null;
        }

        messages.Sort((a, b) => a.SequenceNumber.CompareTo(b.SequenceNumber));
        OrchestrationInstance instance = ReadInstance(tx, instanceId)!;
        return new OrchestrationWorkItem(instanceId, instance, messages, token, lockedUntil);
    }

    public Task<IReadOnlyList<HistoryEvent>> GetHistoryAsync(string instanceId, CancellationToken cancellationToken = default)
        => ReadAsync<IReadOnlyList<HistoryEvent>>(tx =>
        {
            var events = new List<HistoryEvent>();
            SqliteCommand cmd = Cmd(tx,
                """
                SELECT h.payload FROM history h JOIN instances i ON i.instance_id = h.instance_id AND i.execution_id = h.execution_id
                WHERE h.instance_id = $id ORDER BY h.sequence
                """,
                ("$id", instanceId));
            using SqliteDataReader r = cmd.ExecuteReader();
            while (r.Read()) events.Add(HistorySerializer.Deserialize(r.GetString(0)));
            return events;
        }, cancellationToken);

    public Task<OrchestrationCommit> CompleteOrchestrationAsync(
        OrchestrationWorkItem workItem, OrchestrationCheckpoint checkpoint, WorkLease? lease = null, CancellationToken cancellationToken = default)
        => WriteAsync(tx =>
        {
            long now = Now();
            var current = ReadLock(tx, workItem.InstanceId);
            if (current.Owner != workItem.LockToken) throw new LeaseLostException($"The lease on instance '{workItem.InstanceId}' was lost.");

            int sequence = current.HistoryCount;
            if (checkpoint.ResetHistory)
            {
                Exec(tx, "DELETE FROM history WHERE instance_id = $id", ("$id", workItem.InstanceId));
                sequence = 0;
            }

            try
            {
                foreach (HistoryEvent e in checkpoint.NewHistory)
                {
                    Exec(tx, "INSERT INTO history (instance_id, execution_id, sequence, event_type, timestamp, payload) VALUES ($id, $ex, $seq, $type, $ts, $payload)",
                        ("$id", workItem.InstanceId), ("$ex", checkpoint.ExecutionId), ("$seq", sequence++), ("$type", e.EventType),
                        ("$ts", e.Timestamp.Ticks), ("$payload", HistorySerializer.Serialize(e)));
                }
            }
            catch (SqliteException ex) when (ex.SqliteErrorCode == 19)
            {
                throw new LeaseLostException($"Another writer appended to the history of '{workItem.InstanceId}'.", ex);
            }

            bool finished = checkpoint.Status.IsTerminal();
            Exec(tx,
                """
                UPDATE instances SET execution_id = $ex, name = $name, status = $status, input = $input, output = $output,
                    custom_status = $custom, failure = $failure, last_updated_at = $now,
                    completed_at = CASE WHEN $finished THEN $now ELSE NULL END,
                    history_count = $count, lock_owner = NULL, lock_expires_at = NULL
                WHERE instance_id = $id
                """,
                ("$ex", checkpoint.ExecutionId), ("$name", checkpoint.Name), ("$status", (int)checkpoint.Status), ("$input", checkpoint.Input),
                ("$output", checkpoint.Output), ("$custom", checkpoint.CustomStatus),
                ("$failure", checkpoint.FailureDetails is null ? null : HistorySerializer.SerializeFailure(checkpoint.FailureDetails)),
                ("$now", now), ("$finished", finished), ("$count", sequence), ("$id", workItem.InstanceId));

            foreach (InstanceMessage consumed in workItem.Messages)
            {
                Exec(tx, "DELETE FROM orchestration_messages WHERE sequence = $s", ("$s", consumed.SequenceNumber));
            }

            if (finished)
            {
                // Nothing more can happen to a finished instance: its leftover timers and activities go.
                Exec(tx, "DELETE FROM activity_tasks WHERE instance_id = $id", ("$id", workItem.InstanceId));
                Exec(tx, "DELETE FROM orchestration_messages WHERE instance_id = $id", ("$id", workItem.InstanceId));
            }

            var leasedActivities = new List<ActivityWorkItem>();
            string? activityToken = lease is null ? null : $"{lease.Owner}:{Guid.NewGuid():N}";
            DateTime leasedUntil = new DateTime(now, DateTimeKind.Utc) + (lease?.Duration ?? TimeSpan.Zero);
            foreach (ActivityRequest a in checkpoint.Activities)
            {
                bool leaseIt = lease is not null && leasedActivities.Count < lease.MaxActivities;
                long activitySequence = Scalar<long>(tx,
                    """
                    INSERT INTO activity_tasks (instance_id, execution_id, task_id, name, input, visible_at, lock_owner, lock_expires_at, dequeue_count)
                    VALUES ($id, $ex, $task, $name, $input, $now, $owner, $exp, $dequeued) RETURNING sequence
                    """,
                    ("$id", workItem.InstanceId), ("$ex", checkpoint.ExecutionId), ("$task", a.TaskId), ("$name", a.Name), ("$input", a.Input), ("$now", now),
                    ("$owner", leaseIt ? activityToken : null), ("$exp", leaseIt ? leasedUntil.Ticks : null), ("$dequeued", leaseIt ? 1 : 0));
                if (leaseIt)
                {
                    leasedActivities.Add(new ActivityWorkItem(activitySequence, workItem.InstanceId, checkpoint.ExecutionId, a.TaskId, a.Name, a.Input, 1, activityToken!, leasedUntil));
                }
            }

            foreach (OutboundMessage m in checkpoint.Messages)
            {
                Deliver(tx, m, workItem.InstanceId, now);
            }

            // Messages that arrived during the episode: keep the instance and hand its next batch straight back.
            OrchestrationWorkItem? next = lease is not null && !finished ? LeaseInstance(tx, workItem.InstanceId, lease.Owner, lease.Duration, now) : null;
            return new OrchestrationCommit(leasedActivities, next);
        }, cancellationToken);

    public Task AbandonOrchestrationAsync(OrchestrationWorkItem workItem, CancellationToken cancellationToken = default)
        => WriteAsync(tx =>
        {
            Exec(tx, "UPDATE instances SET lock_owner = NULL, lock_expires_at = NULL WHERE instance_id = $id AND lock_owner = $owner",
                ("$id", workItem.InstanceId), ("$owner", workItem.LockToken));
            return true;
        }, cancellationToken);

    public Task<IReadOnlyList<ActivityWorkItem>> LockNextActivitiesAsync(string owner, int maxCount, TimeSpan lease, CancellationToken cancellationToken = default)
        => WriteAsync<IReadOnlyList<ActivityWorkItem>>(tx =>
        {
            long now = Now();
            string token = $"{owner}:{Guid.NewGuid():N}";
            DateTime lockedUntil = new DateTime(now, DateTimeKind.Utc) + lease;
            var items = new List<ActivityWorkItem>();
            SqliteCommand cmd = Cmd(tx,
                $"""
                UPDATE activity_tasks SET lock_owner = $owner, lock_expires_at = $exp, dequeue_count = dequeue_count + 1
                WHERE sequence IN (
                    SELECT sequence FROM activity_tasks
                    WHERE visible_at <= $now AND (lock_expires_at IS NULL OR lock_expires_at <= $now)
                    ORDER BY sequence LIMIT $max)
                RETURNING {ActivityRows.LeasedColumns}
                """,
                ("$owner", token), ("$exp", lockedUntil.Ticks), ("$now", now), ("$max", maxCount));
            using SqliteDataReader r = cmd.ExecuteReader();
            while (r.Read())
            {
                items.Add(ActivityRows.Map(r, token, lockedUntil));
            }

            items.Sort((a, b) => a.SequenceNumber.CompareTo(b.SequenceNumber));
            return items;
        }, cancellationToken);

    public Task<ActivityCommit> CompleteActivityAsync(ActivityWorkItem workItem, HistoryEvent result, WorkLease? lease = null, CancellationToken cancellationToken = default)
        => WriteAsync(tx =>
        {
            int deleted = Exec(tx, "DELETE FROM activity_tasks WHERE sequence = $s AND lock_owner = $owner",
                ("$s", workItem.SequenceNumber), ("$owner", workItem.LockToken));
            if (deleted == 0) return new ActivityCommit(false, null);
            long now = Now();
            InsertMessage(tx, workItem.InstanceId, result, now);
            OrchestrationWorkItem? next = lease is null ? null : LeaseInstance(tx, workItem.InstanceId, lease.Owner, lease.Duration, now);
            return new ActivityCommit(true, next);
        }, cancellationToken);

    public Task<bool> RenewActivityLeaseAsync(ActivityWorkItem workItem, TimeSpan lease, CancellationToken cancellationToken = default)
        => WriteAsync(tx => Exec(tx, "UPDATE activity_tasks SET lock_expires_at = $exp WHERE sequence = $s AND lock_owner = $owner",
            ("$exp", Now() + lease.Ticks), ("$s", workItem.SequenceNumber), ("$owner", workItem.LockToken)) == 1, cancellationToken);

    public Task AbandonActivityAsync(ActivityWorkItem workItem, CancellationToken cancellationToken = default)
        => WriteAsync(tx =>
        {
            Exec(tx, "UPDATE activity_tasks SET lock_owner = NULL, lock_expires_at = NULL WHERE sequence = $s AND lock_owner = $owner",
                ("$s", workItem.SequenceNumber), ("$owner", workItem.LockToken));
            return true;
        }, cancellationToken);

    public Task<OrchestrationInstance?> GetInstanceAsync(string instanceId, CancellationToken cancellationToken = default)
        => ReadAsync(tx => ReadInstance(tx, instanceId), cancellationToken);

    public Task<InstancePage> QueryInstancesAsync(InstanceQuery query, CancellationToken cancellationToken = default)
        => ReadAsync(tx =>
        {
            (string sql, (string Name, object? Value)[] parameters, int pageSize) = InstanceQuerySql.Build(query, "$");
            var rows = new List<OrchestrationInstance>();
            using (SqliteCommand cmd = Dynamic(tx, sql, parameters))
            using (SqliteDataReader r = cmd.ExecuteReader())
            {
                while (r.Read()) rows.Add(InstanceRows.Map(r));
            }

            return InstanceQuerySql.ToPage(rows, pageSize);
        }, cancellationToken);

    public Task<int> PurgeInstanceAsync(string instanceId, CancellationToken cancellationToken = default)
        => WriteAsync(tx =>
        {
            int? status = Scalar<int?>(tx, "SELECT status FROM instances WHERE instance_id = $id", ("$id", instanceId));
            if (status is not int s || !((OrchestrationRuntimeStatus)s).IsTerminal()) return 0;
            DeleteInstanceRows(tx, instanceId);
            return 1;
        }, cancellationToken);

    public Task<int> PurgeInstancesAsync(PurgeFilter filter, CancellationToken cancellationToken = default)
        => WriteAsync(tx =>
        {
            int[] statuses = InstanceRows.PurgeableStatuses(filter);
            if (statuses.Length == 0) return 0;
            var ids = new List<string>();
            string sql = $"SELECT instance_id FROM instances WHERE status IN ({string.Join(", ", statuses)})"
                + " AND created_at >= $from AND created_at <= $to";
            using (SqliteCommand cmd = Dynamic(tx, sql, ("$from", (filter.CreatedFrom ?? DateTime.MinValue).Ticks), ("$to", (filter.CreatedTo ?? DateTime.MaxValue).Ticks)))
            using (SqliteDataReader r = cmd.ExecuteReader())
            {
                while (r.Read()) ids.Add(r.GetString(0));
            }

            foreach (string id in ids) DeleteInstanceRows(tx, id);
            return ids.Count;
        }, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync();
        try
        {
            foreach (SqliteCommand command in _commands.Values) await command.DisposeAsync();
            _commands.Clear();
            if (_connection is not null)
            {
                await _connection.DisposeAsync();
                _connection = null;
            }
        }
        finally
        {
            _gate.Release();
        }

        _gate.Dispose();
    }

    private long Now() => _time.GetUtcNow().UtcTicks;

    private void Deliver(SqliteTransaction tx, OutboundMessage m, string senderId, long now)
    {
        long visibleAt = m.VisibleAt?.Ticks ?? now;
        if (m.InstanceId == senderId)
        {
            InsertMessage(tx, m.InstanceId, m.Event, visibleAt);
            return;
        }

        if (m.Event is ExecutionStartedEvent started)
        {
            // Starting a sub-orchestration: create the child unless one with that id is still active.
            int? status = Scalar<int?>(tx, "SELECT status FROM instances WHERE instance_id = $id", ("$id", m.InstanceId));
            if (status is int s && InstanceRows.ActiveStatuses.Contains(s))
            {
                if (started.Parent is { } parent)
                {
                    var refused = new SubOrchestrationFailedEvent(parent.TaskScheduledId, new TaskFailureDetails(
                        typeof(InvalidOperationException).FullName!, $"An instance with id '{m.InstanceId}' is already active.")) { Timestamp = new DateTime(now, DateTimeKind.Utc) };
                    InsertMessage(tx, senderId, refused, now);
                }

                return;
            }

            if (status is not null) DeleteInstanceRows(tx, m.InstanceId);
            InsertInstance(tx, m.InstanceId, started, now);
            InsertMessage(tx, m.InstanceId, started, visibleAt);
            return;
        }

        // Results sent to a parent that was purged meanwhile are dropped.
        if (Scalar<long?>(tx, "SELECT 1 FROM instances WHERE instance_id = $id", ("$id", m.InstanceId)) is not null)
        {
            InsertMessage(tx, m.InstanceId, m.Event, visibleAt);
        }
    }

    private void InsertInstance(SqliteTransaction tx, string instanceId, ExecutionStartedEvent started, long now)
        => Exec(tx,
            """
            INSERT INTO instances (instance_id, execution_id, name, status, input, created_at, last_updated_at, parent_instance_id, history_count)
            VALUES ($id, $ex, $name, $status, $input, $now, $now, $parent, 0)
            """,
            ("$id", instanceId), ("$ex", started.ExecutionId), ("$name", started.Name), ("$status", (int)OrchestrationRuntimeStatus.Pending),
            ("$input", started.Input), ("$now", now), ("$parent", started.Parent?.InstanceId));

    private void InsertMessage(SqliteTransaction tx, string instanceId, HistoryEvent e, long visibleAt)
        => Exec(tx, "INSERT INTO orchestration_messages (instance_id, event_type, payload, visible_at) VALUES ($id, $type, $payload, $visible)",
            ("$id", instanceId), ("$type", e.EventType), ("$payload", HistorySerializer.Serialize(e)), ("$visible", visibleAt));

    private void DeleteInstanceRows(SqliteTransaction tx, string instanceId)
    {
        Exec(tx, "DELETE FROM history WHERE instance_id = $id", ("$id", instanceId));
        Exec(tx, "DELETE FROM orchestration_messages WHERE instance_id = $id", ("$id", instanceId));
        Exec(tx, "DELETE FROM activity_tasks WHERE instance_id = $id", ("$id", instanceId));
        Exec(tx, "DELETE FROM instances WHERE instance_id = $id", ("$id", instanceId));
    }

    private (string? Owner, int HistoryCount) ReadLock(SqliteTransaction tx, string instanceId)
    {
        SqliteCommand cmd = Cmd(tx, "SELECT lock_owner, history_count FROM instances WHERE instance_id = $id", ("$id", instanceId));
        using SqliteDataReader r = cmd.ExecuteReader();
        return r.Read() ? (r.IsDBNull(0) ? null : r.GetString(0), r.GetInt32(1)) : (null, 0);
    }

    private OrchestrationInstance? ReadInstance(SqliteTransaction tx, string instanceId)
    {
        SqliteCommand cmd = Cmd(tx, $"SELECT {InstanceRows.Columns} FROM instances WHERE instance_id = $id", ("$id", instanceId));
        using SqliteDataReader r = cmd.ExecuteReader();
        return r.Read() ? InstanceRows.Map(r) : null;
    }

    /// <summary>
    /// A write through the group commit: it shares a transaction with the writes queued meanwhile, under its own
    /// savepoint, so one caller's failure (a lost lease) rolls back only its own changes.
    /// </summary>
    private async Task<T> WriteAsync<T>(Func<SqliteTransaction, T> work, CancellationToken cancellationToken) =>
        (T)(await _writes.WriteAsync(tx => work(tx), cancellationToken))!;

    private async Task<WriteOutcome[]> CommitBatchAsync(IReadOnlyList<Func<SqliteTransaction, object?>> batch)
    {
        await _gate.WaitAsync();
        try
        {
            SqliteConnection connection = _connection ?? throw new InvalidOperationException("The store is not initialized.");
            var outcomes = new WriteOutcome[batch.Count];
            using SqliteTransaction tx = connection.BeginTransaction(deferred: false);
            for (int i = 0; i < batch.Count; i++)
            {
                tx.Save("w");
                try
                {
                    outcomes[i] = new WriteOutcome(batch[i](tx), null);
                    tx.Release("w");
                }
                catch (Exception ex)
                {
                    tx.Rollback("w");
                    tx.Release("w");
                    outcomes[i] = new WriteOutcome(null, ex);
                }
            }

            tx.Commit();
            return outcomes;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<T> ReadAsync<T>(Func<SqliteTransaction, T> work, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            SqliteConnection connection = _connection ?? throw new InvalidOperationException("The store is not initialized.");
            using SqliteTransaction tx = connection.BeginTransaction(deferred: true);
            T result = work(tx);
            tx.Commit();
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    private T Scalar<T>(SqliteTransaction tx, string sql, params (string Name, object? Value)[] parameters)
    {
        SqliteCommand cmd = Cmd(tx, sql, parameters);
        object? value = cmd.ExecuteScalar();
        if (value is null or DBNull) return default!;
        Type target = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        return (T)Convert.ChangeType(value, target, CultureInfo.InvariantCulture);
    }

    private int Exec(SqliteTransaction tx, string sql, params (string Name, object? Value)[] parameters)
    {
        SqliteCommand cmd = Cmd(tx, sql, parameters);
        return cmd.ExecuteNonQuery();
    }

    private static void Exec(SqliteConnection connection, SqliteTransaction? tx, string sql)
    {
        using SqliteCommand cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    /// <summary>
    /// A prepared command for fixed SQL, kept for the connection's lifetime: preparing a statement costs
    /// more than the commit it belongs to, so the hot paths never prepare twice.
    /// </summary>
    private SqliteCommand Cmd(SqliteTransaction tx, string sql, params (string Name, object? Value)[] parameters)
    {
        if (!_commands.TryGetValue(sql, out SqliteCommand? cmd))
        {
            cmd = tx.Connection!.CreateCommand();
            cmd.CommandText = sql;
            _commands[sql] = cmd;
        }

        cmd.Transaction = tx;
        cmd.Parameters.Clear();
        foreach ((string name, object? value) in parameters) cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return cmd;
    }

    /// <summary>A one-off command for SQL built per call (filters); the caller disposes it.</summary>
    private static SqliteCommand Dynamic(SqliteTransaction tx, string sql, params (string Name, object? Value)[] parameters)
    {
        SqliteCommand cmd = tx.Connection!.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        foreach ((string name, object? value) in parameters) cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return cmd;
    }
}
