using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;

namespace EdgeKv.Records.Tables;

/// <summary>
/// The storage account several hosts share for EdgeKv's own state (in Azure the Functions app's
/// <c>AzureWebJobsStorage</c>): its Table and Blob services and the prefix of every table and container EdgeKv creates
/// there, so EdgeKv's tables never collide with the durable hub's.
/// </summary>
public sealed class SharedStoreAccount
{
    public const string DefaultPrefix = "EdgeKv";

    public SharedStoreAccount(TableServiceClient tables, BlobServiceClient blobs, string prefix = DefaultPrefix)
    {
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(blobs);
        // Table names are 3-63 letters and digits starting with a letter; container names are lower case.
        if (prefix.Length is 0 or > 40 || !char.IsAsciiLetter(prefix[0]) || !prefix.All(char.IsAsciiLetterOrDigit))
        {
            throw new ArgumentException("The prefix is 1-40 ASCII letters and digits, starting with a letter.",
                nameof(prefix));
        }

        Tables = tables;
        Blobs = blobs;
        Prefix = prefix;
    }

    public TableServiceClient Tables { get; }

    public BlobServiceClient Blobs { get; }

    public string Prefix { get; }

    /// <summary>From a connection string (Azurite, or an account key).</summary>
    public static SharedStoreAccount FromConnectionString(string connectionString, string prefix = DefaultPrefix) =>
        new(new TableServiceClient(connectionString), new BlobServiceClient(connectionString), prefix);

    /// <summary>
    /// Identity-based, as Azure Functions' <c>AzureWebJobsStorage__accountName</c>: the app's managed identity signs
    /// every call.
    /// </summary>
    public static SharedStoreAccount FromAccountName(string accountName, TokenCredential credential,
        string endpointSuffix = "core.windows.net", string prefix = DefaultPrefix) =>
        new(new TableServiceClient(new Uri($"https://{accountName}.table.{endpointSuffix}"), credential),
            new BlobServiceClient(new Uri($"https://{accountName}.blob.{endpointSuffix}"), credential), prefix);

    /// <summary>The table <paramref name="name"/> (prefixed), created when missing.</summary>
    public TableClient Table(string name)
    {
        TableClient table = Tables.GetTableClient(Prefix + name);
        table.CreateIfNotExists();
        return table;
    }

    /// <summary>The blob container <paramref name="name"/> (prefixed, lower case), created when missing.</summary>
    public BlobContainerClient Container(string name)
    {
        BlobContainerClient container = Blobs.GetBlobContainerClient($"{Prefix}-{name}".ToLowerInvariant());
        container.CreateIfNotExists();
        return container;
    }
}
