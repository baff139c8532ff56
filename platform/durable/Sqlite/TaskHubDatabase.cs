using System.Globalization;
using Microsoft.Data.Sqlite;

namespace EdgeKv.Durable.Sqlite;

/// <summary>
/// The task hub's SQLite file: one connection in WAL mode, used by one caller at a time. Writes go through a group
/// commit (those queued while one commits share the next transaction, each under its own savepoint so one caller's
/// failure rolls back only its own changes). Several processes may share the file: SQLite's file lock and the busy
/// timeout serialize their writers.
/// </summary>
internal sealed class TaskHubDatabase : IAsyncDisposable
{
    private const int MaxWritesPerCommit = 256;

    // WAL checkpoints run on a connection of their own, off the commit path (see StartCheckpoints); the committing
    // connection checkpoints itself only past this many WAL pages (about 40 MiB), as a backstop.
    private const int BackstopCheckpointPages = 10_000;
    private static readonly TimeSpan CheckpointInterval = TimeSpan.FromMilliseconds(200);
    private readonly CancellationTokenSource _checkpointStop = new();
    private Task _checkpoints = Task.CompletedTask;
    private long _commits;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);
    private readonly GroupCommitQueue<Func<SqliteTransaction, object?>> _writes;
    private readonly SqliteOrchestrationServiceSettings _settings;
    private SqliteConnection? _connection;

    public TaskHubDatabase(SqliteOrchestrationServiceSettings settings)
    {
        _settings = settings;
        _writes = new GroupCommitQueue<Func<SqliteTransaction, object?>>(MaxWritesPerCommit, CommitBatchAsync);
    }

    public bool IsOpen => _connection is not null;

    /// <summary>
    /// Opens the file (creating it owner-only) and applies the schema scripts not yet applied; returns how many.
    /// </summary>
    public async Task<int> OpenAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_connection is not null) return 0;
            DatabaseFile.EnsureCreated(_settings.DatabasePath);
            var builder = new SqliteConnectionStringBuilder
            {
                DataSource = _settings.DatabasePath,
                Mode = SqliteOpenMode.ReadWrite,
                Pooling = false,
                DefaultTimeout = (int)Math.Ceiling(_settings.BusyTimeout.TotalSeconds),
            };
            var connection = new SqliteConnection(builder.ToString());
            connection.Open();
            string synchronous = _settings.Synchronous == SqliteSynchronousMode.Full ? "FULL" : "NORMAL";
            using (SqliteCommand pragma = connection.CreateCommand())
            {
                pragma.CommandText = string.Create(CultureInfo.InvariantCulture,
                    $"PRAGMA busy_timeout={(long)_settings.BusyTimeout.TotalMilliseconds}; PRAGMA journal_mode=WAL; PRAGMA synchronous={synchronous}; PRAGMA temp_store=MEMORY; PRAGMA wal_autocheckpoint={BackstopCheckpointPages}; PRAGMA journal_size_limit=67108864;");
                pragma.ExecuteNonQuery();
            }

            int applied = SchemaScripts.Apply(connection, _settings.TimeProvider.GetUtcNow().UtcTicks);
            _connection = connection;
            _checkpoints = CheckpointAsync(builder.ToString(), synchronous, _checkpointStop.Token);
            return applied;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A write through the group commit.</summary>
    public async Task<T> WriteAsync<T>(Func<SqliteTransaction, T> work,
        CancellationToken cancellationToken = default) =>
        (T)(await _writes.WriteAsync(tx => work(tx), cancellationToken))!;

    /// <summary>A read in its own (deferred) transaction, so it sees one consistent snapshot.</summary>
    public async Task<T> ReadAsync<T>(Func<SqliteTransaction, T> work, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            SqliteConnection connection = _connection ?? throw NotOpen();
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

    public int Exec(SqliteTransaction tx, string sql, params (string Name, object? Value)[] parameters) => Cmd(tx, sql,
        parameters).ExecuteNonQuery();

    public T? Scalar<T>(SqliteTransaction tx, string sql, params (string Name, object? Value)[] parameters)
    {
        object? value = Cmd(tx, sql, parameters).ExecuteScalar();
        if (value is null or DBNull) return default;
        Type target = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        return (T)Convert.ChangeType(value, target, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// A prepared command for fixed SQL, kept for the connection's lifetime: preparing a statement costs more than
    /// the commit it belongs to, so the hot paths never prepare twice. Only valid until the next command runs.
    /// </summary>
    public SqliteCommand Cmd(SqliteTransaction tx, string sql, params (string Name, object? Value)[] parameters)
    {
        if (!_commands.TryGetValue(sql, out SqliteCommand? cmd))
        {
            cmd = tx.Connection!.CreateCommand();
            cmd.CommandText = sql;
            _commands[sql] = cmd;
        }

        cmd.Transaction = tx;
        SqliteParameterCollection bound = cmd.Parameters;
        if (!SameNames(bound, parameters))
        {
            bound.Clear();
            foreach ((string name, object? value) in parameters) bound.AddWithValue(name, value ?? DBNull.Value);
            return cmd;
        }

        // The same SQL comes with the same parameters: set the values, no new parameter objects per statement.
        for (int i = 0; i < parameters.Length; i++) bound[i].Value = parameters[i].Value ?? DBNull.Value;
        return cmd;
    }

    private static bool SameNames(SqliteParameterCollection bound, (string Name, object? Value)[] parameters)
    {
        if (bound.Count != parameters.Length) return false;
        for (int i = 0; i < parameters.Length; i++)
        {
            if (!string.Equals(bound[i].ParameterName, parameters[i].Name, StringComparison.Ordinal)) return false;
        }

        return true;
    }

    /// <summary>A one-off command for SQL built per call (query filters); the caller disposes it.</summary>
    public static SqliteCommand Dynamic(SqliteTransaction tx, string sql,
        IEnumerable<(string Name, object? Value)> parameters)
    {
        SqliteCommand cmd = tx.Connection!.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        foreach ((string name, object? value) in parameters) cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return cmd;
    }

    /// <summary>Deletes every row of every table (the schema stays).</summary>
    public Task ClearAsync() => WriteAsync(tx =>
    {
        foreach (string table in new[] { "history", "orchestration_messages", "activity_tasks", "instances" })
        {
            Exec(tx, $"DELETE FROM {table}");
        }

        return true;
    });

    /// <summary>
    /// Checkpoints the WAL into the database file every <see cref="CheckpointInterval"/> while commits come in, on a
    /// connection of its own: a checkpoint copies pages and syncs the file (the only fsync under synchronous=NORMAL),
    /// and run by the committing connection (SQLite's automatic checkpoint) it stalled the commit it fell on, and every
    /// writer queued behind it, for as long. PASSIVE never waits for locks, so writers never wait for it.
    /// </summary>
    private async Task CheckpointAsync(string connectionString, string synchronous, CancellationToken stop)
    {
        await Task.Yield();
        await using var connection = new SqliteConnection(connectionString);
        connection.Open();
        await using SqliteCommand checkpoint = connection.CreateCommand();
        checkpoint.CommandText = $"PRAGMA synchronous={synchronous}; PRAGMA wal_checkpoint(PASSIVE);";
        long checkpointed = 0;
        try
        {
            while (true)
            {
                await Task.Delay(CheckpointInterval, _settings.TimeProvider, stop);
                long commits = Interlocked.Read(ref _commits);
                if (commits == checkpointed) continue;
                checkpointed = commits;
                try
                {
                    checkpoint.ExecuteNonQuery();
                }
                catch (SqliteException)
                {
                    // Busy or locked by another process's checkpoint: the next round (or the backstop) does it.
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _checkpointStop.CancelAsync();
        await _checkpoints;
        _checkpointStop.Dispose();
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
    }

    private async Task<WriteOutcome[]> CommitBatchAsync(IReadOnlyList<Func<SqliteTransaction, object?>> batch)
    {
        await _gate.WaitAsync();
        try
        {
            SqliteConnection connection = _connection ?? throw NotOpen();
            var outcomes = new WriteOutcome[batch.Count];
            using SqliteTransaction tx = connection.BeginTransaction(deferred: false);
            if (batch.Count == 1)
            {
                // Alone in its transaction: a failure rolls the whole transaction back, no savepoint needed.
                outcomes[0] = new WriteOutcome(batch[0](tx), null);
                tx.Commit();
                Interlocked.Increment(ref _commits);
                return outcomes;
            }

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
            Interlocked.Increment(ref _commits);
            return outcomes;
        }
        finally
        {
            _gate.Release();
        }
    }

    private static InvalidOperationException NotOpen() => new("The task hub's database is not open: call CreateIfNotExistsAsync or StartAsync first.");
}
