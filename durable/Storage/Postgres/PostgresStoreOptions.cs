namespace EdgeKv.Durable.Storage.Postgres;

/// <summary>
/// Where a PostgreSQL task hub lives: a connection string (Npgsql form) and the schema that holds this hub's tables,
/// so several hubs (or test runs) share one database without seeing each other.
/// </summary>
public sealed record PostgresStoreOptions(string ConnectionString, string Schema)
{
    /// <summary>How often one caller's write is retried inside a group commit after a deadlock or serialization failure.</summary>
    public int TransientRetries { get; init; } = 3;
}
