using System.Globalization;
using System.Xml.Linq;
using EdgeKv.Emulator.Arm;
using EdgeKv.Emulator.Authorization;
using EdgeKv.Emulator.Hosting;
using EdgeKv.Emulator.Identity;
using Microsoft.AspNetCore.Http;

namespace EdgeKv.Emulator.Monitoring;

/// <summary>
/// A Blob service subset for the emulated storage accounts, at <c>/storage/{account}/blob/</c> (the account's
/// <c>primaryEndpoints.blob</c>) and <c>/blob/{account}/</c>: list blobs
/// (<c>?restype=container&amp;comp=list&amp;prefix=&amp;maxresults=&amp;marker=</c>) get blob, and delete blob (refused
/// while the container's time-based retention holds it). Bearer tokens for <c>https://storage.azure.com</c>; as in
/// Azure, the caller needs a role with the blob read data action (Storage Blob Data Reader/Contributor/Owner) at the
/// account or above: Owner and Contributor carry none (with them, only the account key would do: this subset verifies
/// no Shared Key or SAS signature, and answers them with <c>KeyBasedAuthenticationNotPermitted</c> when the account has
/// <c>allowSharedKeyAccess: false</c>, as Azure does). Errors are the Blob service's XML.
/// </summary>
internal sealed class BlobApi(TokenValidator tokens, ResourceRepository resources, RoleAuthorizer roles,
    BlobStore blobs, EmulatorSettings settings, EmulatorClock clock)
{
    public const string ReadDataAction = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read";
    public const string DeleteDataAction = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete";
    public static readonly IReadOnlyList<string> StorageAudiences = ["https://storage.azure.com",
        "https://storage.azure.com/"];

    public async Task InvokeAsync(HttpContext context, string account, string rest, string serviceRoot)
    {
        var cancellationToken = context.RequestAborted;
        try
        {
            var authorization = context.Request.Headers.Authorization.ToString();
            if (authorization.StartsWith("SharedKey ",
                StringComparison.OrdinalIgnoreCase) || (authorization.Length == 0 && context.Request.Query.ContainsKey("sig")))
            {
                await RefuseKeyAsync(account, cancellationToken);
            }

            if (string.IsNullOrWhiteSpace(authorization))
            {
                throw Unauthorized("NoAuthenticationInformation",
                    "Server failed to authenticate the request. Please refer to the information in the www-authenticate header.");
            }

            CallerIdentity caller;
            try
            {
                caller = await tokens.ValidateAsync(authorization, StorageAudiences);
            }
            catch (ArmErrorException)
            {
                throw Unauthorized("InvalidAuthenticationInfo",
                    "Server failed to authenticate the request. Please refer to the information in the www-authenticate header.");
            }

            context.Items[ArmDispatcher.CallerItem] = caller;
            var storage = await resources.FindByNameAsync("Microsoft.Storage/storageAccounts", account,
                cancellationToken)
                ?? throw new ArmErrorException(404, "ResourceNotFound", "The specified resource does not exist.");
            var delete = HttpMethods.IsDelete(context.Request.Method);
            if (!delete && !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
            {
                throw new ArmErrorException(405, "UnsupportedHttpVerb",
                    "The resource doesn't support specified Http Verb.");
            }

            if (!await roles.IsDataActionAllowedAsync(caller.ObjectId, (string)storage["id"]!,
                delete ? DeleteDataAction : ReadDataAction, cancellationToken))
            {
                throw new ArmErrorException(403, "AuthorizationPermissionMismatch",
                    "This request is not authorized to perform this operation using this permission.");
            }

            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            var container = slash < 0 ? rest : rest[..slash];
            var blob = slash < 0 ? string.Empty : rest[(slash + 1)..];
            if (container.Length == 0)
            {
                throw new ArmErrorException(400, "InvalidUri",
                    "The requested URI does not represent any resource on the server.");
            }

            if (delete)
            {
                await DeleteAsync(context, account, (string)storage["id"]!, container, blob, cancellationToken);
            }
            else if (blob.Length == 0)
            {
                await ListAsync(context, account, (string)storage["id"]!, container, serviceRoot, cancellationToken);
            }
            else
            {
                await GetAsync(context, account, container, blob, cancellationToken);
            }
        }
        catch (ArmErrorException error)
        {
            await WriteErrorAsync(context, error, cancellationToken);
        }
    }

    private async Task ListAsync(HttpContext context, string account, string accountId, string container,
        string serviceRoot, CancellationToken cancellationToken)
    {
        var query = context.Request.Query;
        if (query["restype"] != "container" || query["comp"] != "list")
        {
            throw new ArmErrorException(400, "InvalidQueryParameterValue",
                "Value for one of the query parameters specified in the request URI is invalid.");
        }

        if (!await blobs.ContainerExistsAsync(account, container, cancellationToken) &&
            await resources.GetAsync($"{accountId}/blobServices/default/containers/{container}",
                cancellationToken) is null)
        {
            throw new ArmErrorException(404, "ContainerNotFound", "The specified container does not exist.");
        }

        var prefix = query["prefix"].ToString();
        var max = int.TryParse(query["maxresults"], NumberStyles.None, CultureInfo.InvariantCulture,
            out var m) && m is > 0 and <= 5000 ? m : 5000;
        var marker = query["marker"].ToString();
        var all = (await blobs.ListAsync(account, container, prefix, cancellationToken))
            .Where(b => string.CompareOrdinal((string)b["name"]!, marker) >= 0).ToList();
        var page = all.Take(max).ToList();
        var next = all.Count > max ? (string)all[max]["name"]! : string.Empty;
        var xml = new XElement("EnumerationResults",
            new XAttribute("ServiceEndpoint", serviceRoot), new XAttribute("ContainerName", container),
            new XElement("Prefix", prefix), new XElement("Marker", marker), new XElement("MaxResults", max),
            new XElement("Blobs", page.Select(b => new XElement("Blob",
                new XElement("Name", (string)b["name"]!),
                new XElement("Properties",
                    new XElement("Creation-Time", Rfc1123((string)b["created"]!)),
                    new XElement("Last-Modified", Rfc1123((string)b["lastModified"]!)),
                    new XElement("Etag", (string)b["etag"]!),
                    new XElement("Content-Length", BlobStore.Size(b)),
                    new XElement("Content-Type", "application/json"),
                    new XElement("BlobType", "BlockBlob"))))),
            new XElement("NextMarker", next));
        await WriteXmlAsync(context, 200, xml, cancellationToken);
    }

    private async Task GetAsync(HttpContext context, string account, string container, string name,
        CancellationToken cancellationToken)
    {
        var blob = await blobs.GetAsync(account, container, name, cancellationToken)
            ?? throw new ArmErrorException(404, "BlobNotFound", "The specified blob does not exist.");
        var content = System.Text.Encoding.UTF8.GetBytes((string)blob["content"]!);
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = content.Length;
        context.Response.Headers.ETag = (string)blob["etag"]!;
        context.Response.Headers.LastModified = Rfc1123((string)blob["lastModified"]!);
        context.Response.Headers["x-ms-blob-type"] = "BlockBlob";
        AddCommonHeaders(context);
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(content, cancellationToken);
        }
    }

    /// <summary>
    /// A Shared Key or SAS request: refused with Azure's code when the account disallows key-based authentication;
    /// otherwise refused as unverifiable, because this subset checks no key signatures (Entra tokens only).
    /// </summary>
    private async Task RefuseKeyAsync(string account, CancellationToken cancellationToken)
    {
        var storage = await resources.FindByNameAsync("Microsoft.Storage/storageAccounts", account, cancellationToken)
            ?? throw new ArmErrorException(404, "ResourceNotFound", "The specified resource does not exist.");
        if ((bool?)storage["properties"]?["allowSharedKeyAccess"] == false)
        {
            throw new ArmErrorException(403, "KeyBasedAuthenticationNotPermitted",
                "Key based authentication is not permitted on this storage account.");
        }

        throw new ArmErrorException(403, "AuthenticationFailed",
            "Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.");
    }

    /// <summary>
    /// Deletes a blob unless the container's time-based retention still holds it (Azure's 409
    /// <c>BlobImmutableDueToPolicy</c>).
    /// </summary>
    private async Task DeleteAsync(HttpContext context, string account, string accountId, string container, string name,
        CancellationToken cancellationToken)
    {
        if (name.Length == 0)
        {
            throw new ArmErrorException(405, "UnsupportedHttpVerb",
                "The resource doesn't support specified Http Verb.");
        }

        var blob = await blobs.GetAsync(account, container, name, cancellationToken)
            ?? throw new ArmErrorException(404, "BlobNotFound", "The specified blob does not exist.");
        var policy = await resources.GetAsync($"{accountId}/blobServices/default/containers/{container}/immutabilityPolicies/default", cancellationToken);
        if ((int?)policy?["properties"]?["immutabilityPeriodSinceCreationInDays"] is { } days &&
            DateTimeOffset.Parse((string)blob["created"]!,
                CultureInfo.InvariantCulture).AddDays(days) > clock.GetUtcNow())
        {
            throw new ArmErrorException(409, "BlobImmutableDueToPolicy",
                "This operation is not permitted as the blob is immutable due to a policy.");
        }

        await blobs.DeleteAsync(account, container, name, cancellationToken);
        context.Response.StatusCode = 202;
        context.Response.Headers["x-ms-delete-type-permanent"] = "true";
        AddCommonHeaders(context);
    }

    private ArmErrorException Unauthorized(string code, string message) => new(401, code, message)
    {
        Headers = new Dictionary<string, string>
        {
            ["WWW-Authenticate"] = $"Bearer authorization_uri={settings.Endpoint.AbsoluteUri}{settings.TenantId}/oauth2/authorize resource_id=https://storage.azure.com",
        },
    };

    private static async Task WriteErrorAsync(HttpContext context, ArmErrorException error,
        CancellationToken cancellationToken)
    {
        foreach (var (name, value) in error.Headers)
        {
            context.Response.Headers[name] = value;
        }

        context.Response.Headers["x-ms-error-code"] = error.Code;
        var requestId = Guid.NewGuid();
        var xml = new XElement("Error", new XElement("Code", error.Code),
            new XElement("Message",
                $"{error.Message}\nRequestId:{requestId}\nTime:{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ss.fffffffZ}"));
        await WriteXmlAsync(context, error.Status, xml, cancellationToken);
    }

    private static async Task WriteXmlAsync(HttpContext context, int status, XElement xml,
        CancellationToken cancellationToken)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/xml";
        AddCommonHeaders(context);
        await context.Response.WriteAsync("<?xml version=\"1.0\" encoding=\"utf-8\"?>" + xml.ToString(SaveOptions.DisableFormatting), cancellationToken);
    }

    private static void AddCommonHeaders(HttpContext context)
    {
        context.Response.Headers["x-ms-request-id"] = Guid.NewGuid().ToString();
        context.Response.Headers["x-ms-version"] = "2025-01-05";
    }

    private static string Rfc1123(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture).ToString("R",
        CultureInfo.InvariantCulture);
}
