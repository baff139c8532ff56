using System.Globalization;
using System.Xml.Linq;
using global::Azure.Core;

namespace EdgeKv.Azure.Monitoring;

/// <summary>
/// Reads a vault's Key Vault audit logs from the storage account its diagnostic setting writes to, over the Blob REST
/// API (list blobs with a prefix, get blob), shaped like a <c>BlobContainerClient</c> reader so a later swap to
/// Azure.Storage.Blobs is small. Records come back parsed and in time order.
/// </summary>
public sealed class AuditLogsClient
{
    public const string Scope = "https://storage.azure.com/.default";
    public const string Container = "insights-logs-auditevent";
    private readonly DataPlaneRestClient rest;

    /// <param name="blobServiceUri">The account's blob endpoint, e.g. <c>https://ACCOUNT.blob.core.windows.net/</c> (its <c>primaryEndpoints.blob</c>).</param>
    public AuditLogsClient(Uri blobServiceUri, TokenCredential credential, AuditLogsClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(blobServiceUri);
        ArgumentNullException.ThrowIfNull(credential);
        options ??= new AuditLogsClientOptions();
        BlobServiceUri = blobServiceUri.AbsoluteUri.EndsWith('/') ? blobServiceUri : new Uri(blobServiceUri.AbsoluteUri + "/");
        rest = new DataPlaneRestClient(DataPlaneRestClient.BuildPipeline(options, credential, Scope), BlobServiceUri, apiVersion: null,
            new Dictionary<string, string> { ["x-ms-version"] = options.ServiceVersion }, new BlobErrorParser());
    }

    public Uri BlobServiceUri { get; }

    /// <summary>The blob-name prefix of a vault's audit logs: <c>resourceId=/SUBSCRIPTIONS/.../VAULTS/NAME/</c>.</summary>
    public static string PrefixFor(string vaultResourceId) => $"resourceId={vaultResourceId.TrimEnd('/').ToUpperInvariant()}/";

    /// <summary>The hourly audit blobs of a vault (every page).</summary>
    public async Task<IReadOnlyList<AuditLogBlob>> ListAuditBlobsAsync(string vaultResourceId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(vaultResourceId);
        var result = new List<AuditLogBlob>();
        var marker = string.Empty;
        do
        {
            var (content, _) = await rest.GetBytesAsync(
                $"{Container}?restype=container&comp=list&prefix={Uri.EscapeDataString(PrefixFor(vaultResourceId))}&marker={Uri.EscapeDataString(marker)}", cancellationToken);
            var xml = XElement.Parse(content.ToString());
            result.AddRange(xml.Element("Blobs")?.Elements("Blob").Select(Blob) ?? []);
            marker = (string?)xml.Element("NextMarker") ?? string.Empty;
        }
        while (marker.Length > 0);

        return result;
    }

    /// <summary>Every audit record of a vault, optionally only those at or after <paramref name="since"/>, in time order.</summary>
    public async Task<IReadOnlyList<KeyVaultAuditRecord>> GetAuditRecordsAsync(string vaultResourceId, DateTimeOffset? since = null, CancellationToken cancellationToken = default)
    {
        var records = new List<KeyVaultAuditRecord>();
        foreach (var blob in await ListAuditBlobsAsync(vaultResourceId, cancellationToken))
        {
            records.AddRange(await ReadAuditBlobAsync(blob.Name, cancellationToken));
        }

        return records.Where(r => since is null || r.Time >= since).OrderBy(r => r.Time).ToList();
    }

    public async Task<IReadOnlyList<KeyVaultAuditRecord>> ReadAuditBlobAsync(string blobName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(blobName);
        var path = string.Join('/', blobName.Split('/').Select(Uri.EscapeDataString));
        var (content, _) = await rest.GetBytesAsync($"{Container}/{path}", cancellationToken);
        return AuditRecordParser.Parse(content.ToString()).ToList();
    }

    private static AuditLogBlob Blob(XElement blob)
    {
        var properties = blob.Element("Properties");
        var modified = (string?)properties?.Element("Last-Modified");
        return new AuditLogBlob((string)blob.Element("Name")!,
            modified is null ? null : DateTimeOffset.Parse(modified, CultureInfo.InvariantCulture),
            long.TryParse((string?)properties?.Element("Content-Length"), NumberStyles.None, CultureInfo.InvariantCulture, out var size) ? size : 0);
    }
}
