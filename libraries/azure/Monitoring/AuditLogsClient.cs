using System.Globalization;
using global::Azure.Core;
using global::Azure.Storage.Blobs;
using global::Azure.Storage.Blobs.Models;

namespace EdgeKv.Azure.Monitoring;

/// <summary>
/// Reads a vault's Key Vault audit logs from the storage account its diagnostic setting writes to
/// (Azure.Storage.Blobs). A time window lists only the date-partitioned prefixes that hold it (<see
/// cref="AuditLogLayout.PrefixesFor"/>) and reads only the hourly blobs that overlap it. Records come back parsed and
/// in time order.
/// </summary>
public sealed class AuditLogsClient
{
    public const string Container = "insights-logs-auditevent";
    private readonly BlobContainerClient container;
    private readonly TokenCredential credential;
    private readonly BlobClientOptions options;

    /// <param name="blobServiceUri">The account's blob endpoint, e.g. <c>https://ACCOUNT.blob.core.windows.net/</c>
    /// (its <c>primaryEndpoints.blob</c>).</param>
    public AuditLogsClient(Uri blobServiceUri, TokenCredential credential, BlobClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(blobServiceUri);
        ArgumentNullException.ThrowIfNull(credential);
        this.credential = credential;
        this.options = options ?? new BlobClientOptions();
        BlobServiceUri = blobServiceUri.AbsoluteUri.EndsWith('/') ? blobServiceUri : new Uri(blobServiceUri.AbsoluteUri + "/");
        container = new BlobContainerClient(new Uri(BlobServiceUri, Container), credential, this.options);
    }

    public Uri BlobServiceUri { get; }

    /// <summary>
    /// The blob-name prefix of a vault's audit logs: <c>resourceId=/SUBSCRIPTIONS/.../VAULTS/NAME/</c>.
    /// </summary>
    public static string PrefixFor(string vaultResourceId) => AuditLogLayout.VaultPrefix(vaultResourceId);

    /// <summary>Every hourly audit blob of a vault (every page of its whole prefix).</summary>
    public Task<IReadOnlyList<AuditLogBlob>> ListAuditBlobsAsync(string vaultResourceId,
        CancellationToken cancellationToken = default) =>
        ListAuditBlobsAsync(vaultResourceId, null, null, cancellationToken);

    /// <summary>
    /// The hourly audit blobs of a vault that overlap [<paramref name="from"/>, <paramref name="to"/>). With a start,
    /// only the window's date prefixes are listed; without one, the vault's whole prefix is (the logs' beginning is
    /// unknown).
    /// </summary>
    public async Task<IReadOnlyList<AuditLogBlob>> ListAuditBlobsAsync(string vaultResourceId, DateTimeOffset? from,
        DateTimeOffset? to,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(vaultResourceId);
        // Azure writes no blob for an hour that has not begun: an open end stops a day past now, room for clock skew.
        var end = to ?? DateTimeOffset.UtcNow.AddDays(1);
        IReadOnlyList<string> prefixes = from is { } start ? AuditLogLayout.PrefixesFor(vaultResourceId, start,
            end) : [PrefixFor(vaultResourceId)];
        var result = new List<AuditLogBlob>();
        foreach (var prefix in prefixes)
        {
            await foreach (var item in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix,
                cancellationToken))
            {
                var blob = Blob(item);
                if (blob.Hour is not { } hour || ((from is null || hour.AddHours(1) > from) && (to is null || hour < to)))
                {
                    result.Add(blob);
                }
            }
        }

        return result;
    }

    /// <summary>
    /// The audit records of a vault in [<paramref name="from"/>, <paramref name="to"/>) (either end open), in time
    /// order.
    /// </summary>
    public async Task<IReadOnlyList<KeyVaultAuditRecord>> GetAuditRecordsAsync(string vaultResourceId,
        DateTimeOffset? from = null, DateTimeOffset? to = null,
        CancellationToken cancellationToken = default)
    {
        var records = new List<KeyVaultAuditRecord>();
        foreach (var blob in await ListAuditBlobsAsync(vaultResourceId, from, to, cancellationToken))
        {
            records.AddRange(await ReadAuditBlobAsync(blob.Name, cancellationToken));
        }

        return records.Where(r => (from is null || r.Time >= from) && (to is null || r.Time < to)).OrderBy(r => r.Time).ToList();
    }

    public async Task<IReadOnlyList<KeyVaultAuditRecord>> ReadAuditBlobAsync(string blobName,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(blobName);
        // Built from the full URI, not container.GetBlobClient: that re-parses the container URI, and an IP-addressed
        // endpoint with a path (the emulator's /storage/ACCOUNT/blob/) would be read as path-style account/container.
        var path = string.Join('/', blobName.Split('/').Select(Uri.EscapeDataString));
        var blob = new BlobClient(new Uri(container.Uri.AbsoluteUri + "/" + path), credential, options);
        var content = (await blob.DownloadContentAsync(cancellationToken)).Value.Content;
        return AuditRecordParser.Parse(content.ToString()).ToList();
    }

    private static AuditLogBlob Blob(BlobItem item) =>
        new(item.Name, item.Properties.LastModified, item.Properties.ContentLength ?? 0,
            AuditLogLayout.HourOf(item.Name));
}
