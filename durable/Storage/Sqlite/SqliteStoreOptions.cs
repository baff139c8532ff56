namespace EdgeKv.Durable.Storage.Sqlite;

/// <summary>How SQLite makes a commit durable.</summary>
public enum SqliteDurability
{
    /// <summary>WAL with synchronous=NORMAL: a commit survives a killed process; the last commits may be lost on power loss.</summary>
    Normal,

    /// <summary>WAL with synchronous=FULL: every commit is fsynced and survives power loss, at a lower commit rate.</summary>
    Full,
}

/// <summary>Where the task hub lives and how durable its commits are.</summary>
public sealed record SqliteStoreOptions(string DatabasePath, SqliteDurability Durability = SqliteDurability.Normal)
{
    /// <summary>How long a writer waits for another process's write lock before failing.</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
