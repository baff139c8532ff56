namespace EdgeKv.Durable.Hosting;

/// <summary>
/// The provider this host runs: <see cref="Type"/> from the app setting <c>EdgeKv:TaskHub:StorageProvider</c>.
/// <c>Sqlite</c> (the default) is the embedded provider: one file under the data path, one host. <c>AzureStorage</c> is
/// the provider Durable Functions uses in Azure, shared by several hosts; its connection string is the app setting <see
/// cref="ConnectionName"/> (host.json <c>extensions:durableTask:storageProvider:connectionName</c>,
/// <c>AzureWebJobsStorage</c> by default).
/// </summary>
public sealed class StorageProviderOptions
{
    public string Type { get; set; } = "sqlite";

    /// <summary>
    /// For <c>AzureStorage</c>: the app setting (or <c>ConnectionStrings</c> entry) holding the connection string.
    /// </summary>
    public string ConnectionName { get; set; } = "AzureWebJobsStorage";

    /// <summary>
    /// For <c>sqlite</c> (app setting <c>EdgeKv:TaskHub:Synchronous</c>): Normal (WAL, survives a killed process; the
    /// default) or Full (also survives power loss).
    /// </summary>
    public string Synchronous { get; set; } = "Normal";

    internal bool IsSqlite => string.Equals(Type, "sqlite", StringComparison.OrdinalIgnoreCase);

    internal bool IsAzureStorage => string.Equals(Type, "AzureStorage", StringComparison.OrdinalIgnoreCase);
}
