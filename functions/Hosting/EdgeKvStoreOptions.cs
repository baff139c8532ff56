using Azure.Core;
using Azure.Identity;
using EdgeKv.Records.Tables;

namespace EdgeKv.Functions.Hosting;

/// <summary>
/// Where EdgeKv keeps its own state (section <c>EdgeKv:Store</c>): <c>Sqlite</c> (the default: files under the data
/// path, one host) or <c>AzureStorage</c> (Table and Blob storage in the account of the app setting <see
/// cref="ConnectionName"/>, <c>AzureWebJobsStorage</c> by default, shared by every host).
/// </summary>
public sealed class EdgeKvStoreOptions
{
    public const string SectionName = "EdgeKv:Store";

    public string Type { get; set; } = "Sqlite";

    /// <summary>
    /// The app setting with the account: a connection string, or (identity-based, as in Azure)
    /// <c>{name}__accountName</c>.
    /// </summary>
    public string ConnectionName { get; set; } = "AzureWebJobsStorage";

    /// <summary>The prefix of EdgeKv's tables and containers, apart from the durable hub's.</summary>
    public string Prefix { get; set; } = SharedStoreAccount.DefaultPrefix;

    /// <summary>
    /// The storage endpoint suffix of the cloud, for an identity-based account (<c>core.windows.net</c> in Azure's
    /// public cloud).
    /// </summary>
    public string EndpointSuffix { get; set; } = "core.windows.net";

    public bool IsShared => string.Equals(Type, "AzureStorage", StringComparison.OrdinalIgnoreCase);

    public static EdgeKvStoreOptions From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        EdgeKvStoreOptions options = configuration.GetSection(SectionName).Get<EdgeKvStoreOptions>() ?? new EdgeKvStoreOptions();
        if (!options.IsShared && !string.Equals(options.Type, "Sqlite", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"{SectionName}:Type '{options.Type}' is not Sqlite or AzureStorage.");
        }

        return options;
    }

    /// <summary>
    /// The shared account: a connection string in the setting (Azurite, an account key), or the Functions host's
    /// identity-based form, <c>{name}:accountName</c> with <c>{name}:credential</c> = <c>managedidentity</c> and
    /// <c>{name}:clientId</c> for a user-assigned identity.
    /// </summary>
    public SharedStoreAccount OpenAccount(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        string? connectionString = configuration[ConnectionName] ?? configuration.GetConnectionString(ConnectionName);
        if (!string.IsNullOrWhiteSpace(connectionString)) return SharedStoreAccount.FromConnectionString(connectionString, Prefix);
        string accountName = configuration[$"{ConnectionName}:accountName"]
            ?? throw new InvalidOperationException($"{SectionName}:Type AzureStorage needs the setting '{ConnectionName}' (a connection string) or '{ConnectionName}:accountName'.");
        string? clientId = configuration[$"{ConnectionName}:clientId"];
        TokenCredential credential = string.Equals(configuration[$"{ConnectionName}:credential"], "managedidentity",
            StringComparison.OrdinalIgnoreCase)
            ? new ManagedIdentityCredential(clientId is null ? ManagedIdentityId.SystemAssigned : ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new DefaultAzureCredential();
        return SharedStoreAccount.FromAccountName(accountName, credential, EndpointSuffix, Prefix);
    }
}
