namespace EdgeKv.Durable.Sqlite;

/// <summary>How SQLite makes a commit durable (the database always runs in WAL mode).</summary>
public enum SqliteSynchronousMode
{
    /// <summary>
    /// synchronous=NORMAL: a commit survives a killed process; the last commits may be lost on power loss.
    /// </summary>
    Normal,

    /// <summary>synchronous=FULL: every commit is fsynced and survives power loss, at a lower commit rate.</summary>
    Full,
}
