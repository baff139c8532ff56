using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EdgeKv.Emulator.Store;

namespace EdgeKv.Emulator.Arm.Handlers;

/// <summary>
/// Microsoft.Storage/storageAccounts: create as a long-running operation (202 with <c>Location</c> and
/// <c>Retry-After</c>, completing after the configured duration on the emulator clock), get, list, tags, delete, name
/// availability, account keys (<c>listKeys</c>), and the blob service's properties (<c>blobServices/default</c>:
/// soft-delete retention, versioning).
/// </summary>
internal sealed partial class StorageAccountsApi(ArmServices services, Monitoring.BlobStore blobs)
    : TrackedResourceApi(services.Resources, Type)
{
    private const string Type = "Microsoft.Storage/storageAccounts";
    private const string Provider = ArmRoute.Subscription + "/providers/Microsoft.Storage";
    private const string Account = ArmRoute.ResourceGroup + "/providers/Microsoft.Storage/storageAccounts/(?<name>[^/]+)";
    private const string BlobServiceType = "Microsoft.Storage/storageAccounts/blobServices";
    private const string Pending = "emulatorCompletesAt";
    private static readonly string[] Skus = ["Standard_LRS", "Standard_GRS", "Standard_RAGRS", "Standard_ZRS",
        "Premium_LRS", "Premium_ZRS", "Standard_GZRS", "Standard_RAGZRS"];
    private static readonly string[] Kinds = ["Storage", "StorageV2", "BlobStorage", "FileStorage", "BlockBlobStorage"];

    public override IEnumerable<ArmRoute> Routes =>
    [
        ArmRoute.Create("POST", Provider + "/checkNameAvailability", Type,
            "Microsoft.Storage/checkNameAvailability/read", LockCheck.None, CheckNameAsync),
        .. ArmRoute.ForTrackedResource(Type, ListAsync, GetAsync, PutAsync, PatchAsync, DeleteAsync),
        ArmRoute.Create("POST", Account + "/listKeys", Type, "Microsoft.Storage/storageAccounts/listkeys/action",
            LockCheck.Write, ListKeysAsync),
        ArmRoute.Create("GET", Account + "/blobServices/default", BlobServiceType,
            "Microsoft.Storage/storageAccounts/blobServices/read", LockCheck.None, GetBlobServiceAsync),
        ArmRoute.Create("PUT", Account + "/blobServices/default", BlobServiceType,
            "Microsoft.Storage/storageAccounts/blobServices/write", LockCheck.Write, PutBlobServiceAsync),
        ArmRoute.Create("GET", Provider + "/locations/(?<loc>[^/]+)/asyncoperations/(?<op>[^/]+)", Type,
            "Microsoft.Storage/locations/asyncoperations/read", LockCheck.None, GetOperationAsync),
    ];

    [GeneratedRegex("^[a-z0-9]{3,24}$")]
    private static partial Regex NamePattern();

    private async Task<ArmResponse> CheckNameAsync(ArmRequest request, CancellationToken cancellationToken)
    {
        var body = await request.ReadBodyAsync(cancellationToken);
        var name = JsonBody.String(body, "name") ?? throw ArmErrors.BadRequest("The parameter 'name' is required.");
        var type = JsonBody.String(body, "type") ?? throw ArmErrors.BadRequest("The parameter 'type' is required.");
        if (!type.Equals(Type, StringComparison.OrdinalIgnoreCase))
        {
            throw ArmErrors.BadRequest($"The resource type '{type}' is invalid. The supported value is '{Type}'.");
        }

        if (!NamePattern().IsMatch(name))
        {
            return ArmResponse.Ok(new JsonObject { ["nameAvailable"] = false, ["reason"] = "AccountNameInvalid",
                ["message"] = ArmErrors.StorageAccountNameInvalid(name).Message });
        }

        return await services.Resources.FindByNameAsync(Type, name, cancellationToken) is not null
            ? ArmResponse.Ok(new JsonObject { ["nameAvailable"] = false, ["reason"] = "AlreadyExists",
                ["message"] = $"The storage account named {name} is already taken." })
            : ArmResponse.Ok(new JsonObject { ["nameAvailable"] = true });
    }

    private async Task<ArmResponse> PutAsync(ArmRequest request, CancellationToken cancellationToken)
    {
        var name = request["name"];
        if (!NamePattern().IsMatch(name))
        {
            throw ArmErrors.StorageAccountNameInvalid(name);
        }

        var body = await request.ReadBodyAsync(cancellationToken);
        var location = JsonBody.String(body, "location") ?? throw ArmErrors.LocationRequired();
        var skuName = JsonBody.String(JsonBody.Object(body, "sku"),
            "name") ?? throw ArmErrors.BadRequest("The parameter 'sku' is required.");
        var sku = Skus.FirstOrDefault(s => s.Equals(skuName, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArmErrorException(400, "InvalidValuesForRequestParameters",
                $"Values for request parameters are invalid: sku.name '{skuName}'.");
        var kindName = JsonBody.String(body, "kind") ?? throw ArmErrors.BadRequest("The parameter 'kind' is required.");
        var kind = Kinds.FirstOrDefault(k => k.Equals(kindName, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArmErrorException(400, "InvalidValuesForRequestParameters",
                $"Values for request parameters are invalid: kind '{kindName}'.");
        var properties = JsonBody.Object(body, "properties") ?? [];
        var existing = await services.Resources.GetAsync(request.Path, cancellationToken);
        if (existing is null && await services.Resources.FindByNameAsync(Type, name, cancellationToken) is not null)
        {
            throw ArmErrors.StorageAccountAlreadyTaken(name);
        }

        var now = services.Clock.GetUtcNow();
        var account = StorageAccountDocument.Create(request.Path, name, location, sku, kind, JsonBody.Tags(body),
            properties, existing, services.Settings.Endpoint, now);
        if (existing is not null)
        {
            account[Pending] = existing[Pending]?.DeepClone();
            await services.Resources.PutAsync(account, cancellationToken);
            return ArmResponse.Ok(await ToWireAsync(account, cancellationToken));
        }

        var operationId = Guid.NewGuid().ToString();
        account[Pending] = (now + services.Settings.LongRunningOperationDuration).ToString("O");
        await services.Resources.PutAsync(account, cancellationToken);
        await services.Store.PutAsync(Collections.Operations, operationId, new JsonObject
        {
            ["id"] = operationId,
            ["resourceId"] = request.Path,
        }, cancellationToken);
        return new ArmResponse(202, null, OperationHeaders(request["sub"], location, operationId, request.ApiVersion));
    }

    private async Task<ArmResponse> GetOperationAsync(ArmRequest request, CancellationToken cancellationToken)
    {
        var operation = await services.Store.GetAsync(Collections.Operations, request["op"], cancellationToken)
            ?? throw ArmErrors.OperationNotFound(request["op"]);
        var account = await services.Resources.GetAsync((string)operation["resourceId"]!, cancellationToken)
            ?? throw ArmErrors.OperationNotFound(request["op"]);
        var wire = await ToWireAsync(account, cancellationToken);
        return (string?)wire["properties"]!["provisioningState"] == "Succeeded"
            ? ArmResponse.Ok(wire)
            : new ArmResponse(202, null,
                OperationHeaders(request["sub"], request["loc"], request["op"], request.ApiVersion));
    }

    private async Task<ArmResponse> PatchAsync(ArmRequest request, CancellationToken cancellationToken)
    {
        var account = await FindAsync(request, cancellationToken);
        var body = await request.ReadBodyAsync(cancellationToken);
        if (body["tags"] is not null)
        {
            account["tags"] = JsonBody.Tags(body);
        }

        if (JsonBody.Object(body, "properties") is { } properties)
        {
            foreach (var name in StorageAccountDocument.Patchable.Where(properties.ContainsKey))
            {
                account["properties"]![name] = properties[name]?.DeepClone();
            }
        }

        await services.Resources.PutAsync(account, cancellationToken);
        return ArmResponse.Ok(await ToWireAsync(account, cancellationToken));
    }

    /// <summary>
    /// The two account keys (made on first use and kept). As in Azure, this works whatever <c>allowSharedKeyAccess</c>
    /// says: that setting decides whether the Blob service accepts what is signed with them.
    /// </summary>
    private async Task<ArmResponse> ListKeysAsync(ArmRequest request, CancellationToken cancellationToken)
    {
        var id = (string)(await FindAsync(request, cancellationToken))["id"]!;
        if (await services.Store.GetAsync(Collections.StorageAccountKeys, id, cancellationToken) is not { } stored)
        {
            var created = services.Clock.GetUtcNow().ToString("O");
            stored = new JsonObject { ["keys"] = new JsonArray(NewKey("key1", created), NewKey("key2", created)) };
            await services.Store.PutAsync(Collections.StorageAccountKeys, id, stored, cancellationToken);
        }

        return ArmResponse.Ok(new JsonObject { ["keys"] = stored["keys"]!.DeepClone() });
    }

    private static JsonObject NewKey(string name, string created) => new()
    {
        ["keyName"] = name,
        ["value"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(64)),
        ["permissions"] = "FULL",
        ["creationTime"] = created,
    };

    protected override async Task DeleteOwnDataAsync(ArmRequest request, CancellationToken cancellationToken)
    {
        await blobs.DeleteAccountAsync(request["name"], cancellationToken);
        await services.Store.DeleteAsync(Collections.StorageAccountKeys, request.Path, cancellationToken);
    }

    private async Task<ArmResponse> GetBlobServiceAsync(ArmRequest request, CancellationToken cancellationToken)
    {
        var account = await FindAsync(request, cancellationToken);
        return ArmResponse.Ok(await services.Resources.GetAsync(request.Path,
            cancellationToken) ?? BlobServiceDocument.Create(request.Path, account));
    }

    /// <summary>Sets the properties the body names and keeps the others, as Azure does.</summary>
    private async Task<ArmResponse> PutBlobServiceAsync(ArmRequest request, CancellationToken cancellationToken)
    {
        var account = await FindAsync(request, cancellationToken);
        var body = await request.ReadBodyAsync(cancellationToken);
        var service = await services.Resources.GetAsync(request.Path,
            cancellationToken) ?? BlobServiceDocument.Create(request.Path, account);
        BlobServiceDocument.Apply(service, JsonBody.Object(body, "properties") ?? []);
        await services.Resources.PutAsync(service, cancellationToken);
        return ArmResponse.Ok(service);
    }

    /// <summary>The wire form; completes a pending creation whose time has come.</summary>
    protected override async Task<JsonObject> ToWireAsync(JsonObject account, CancellationToken cancellationToken)
    {
        if ((string?)account[Pending] is { } pending &&
            services.Clock.GetUtcNow() >= DateTimeOffset.Parse(pending, CultureInfo.InvariantCulture))
        {
            account.Remove(Pending);
            account["properties"]!["provisioningState"] = "Succeeded";
            await services.Resources.PutAsync(account, cancellationToken);
        }

        var wire = account.DeepClone().AsObject();
        wire.Remove(Pending);
        return wire;
    }

    private Dictionary<string, string> OperationHeaders(string subscriptionId, string location, string operationId,
        string apiVersion) => new()
    {
        ["Location"] = $"{services.Settings.Endpoint.AbsoluteUri}subscriptions/{subscriptionId}/providers/Microsoft.Storage/locations/{location}/asyncoperations/{operationId}?monitor=true&api-version={apiVersion}",
        ["Retry-After"] = ((int)services.Settings.RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// The account's id from its own path or a path under it (<c>.../blobServices/default</c>, <c>.../listKeys</c>).
    /// </summary>
    protected override string ResourceId(ArmRequest request) =>
        request.Path.IndexOf("/blobServices/", StringComparison.OrdinalIgnoreCase) is var at and >= 0
            ? request.Path[..at]
            : request.Path.EndsWith("/listKeys", StringComparison.OrdinalIgnoreCase)
                ? request.Path[..^"/listKeys".Length]
                : request.Path;

}
