using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace EdgeKv.Emulator.Arm.Handlers;

/// <summary>
/// A storage account's blob containers through Resource Manager (<c>blobServices/default/containers/{name}</c>: create,
/// get, delete) and their time-based retention policies (<c>.../immutabilityPolicies/default</c>: create or update,
/// get, delete while unlocked). A container Azure Monitor created by writing logs exists here too. The Blob service
/// (<see cref="Monitoring.BlobApi"/>) refuses deletes of blobs the policy still holds.
/// </summary>
internal sealed partial class BlobContainersApi(ArmServices services, Monitoring.BlobStore blobs) : IArmRouteSource
{
    public const string ContainerType = "Microsoft.Storage/storageAccounts/blobServices/containers";
    public const string PolicyType = ContainerType + "/immutabilityPolicies";
    private const string BlobServiceType = "Microsoft.Storage/storageAccounts/blobServices";
    private const string Account = ArmRoute.ResourceGroup + "/providers/Microsoft.Storage/storageAccounts/(?<name>[^/]+)";
    private const string Container = Account + "/blobServices/default/containers/(?<container>[^/]+)";
    private const string Policy = Container + "/immutabilityPolicies/default";
    private const int MaxDays = 146000;

    public IEnumerable<ArmRoute> Routes =>
    [
        ArmRoute.Create("GET", Container, BlobServiceType,
            "Microsoft.Storage/storageAccounts/blobServices/containers/read", LockCheck.None, GetContainerAsync),
        ArmRoute.Create("PUT", Container, BlobServiceType,
            "Microsoft.Storage/storageAccounts/blobServices/containers/write", LockCheck.Write, PutContainerAsync),
        ArmRoute.Create("DELETE", Container, BlobServiceType,
            "Microsoft.Storage/storageAccounts/blobServices/containers/delete", LockCheck.Delete, DeleteContainerAsync),
        ArmRoute.Create("GET", Policy, BlobServiceType,
            "Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies/read", LockCheck.None,
            GetPolicyAsync),
        ArmRoute.Create("PUT", Policy, BlobServiceType,
            "Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies/write", LockCheck.Write,
            PutPolicyAsync),
        ArmRoute.Create("DELETE", Policy, BlobServiceType,
            "Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies/delete", LockCheck.Delete,
            DeletePolicyAsync),
    ];

    [GeneratedRegex("^(?:\\$root|\\$web|\\$logs|[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62})$")]
    private static partial Regex ContainerName();

    private async Task<ArmResponse> GetContainerAsync(ArmRequest request, CancellationToken cancellationToken) =>
        ArmResponse.Ok(await WireAsync(await FindContainerAsync(request, cancellationToken), cancellationToken));

    private async Task<ArmResponse> PutContainerAsync(ArmRequest request, CancellationToken cancellationToken)
    {
        var account = await FindAccountAsync(request, cancellationToken);
        var name = request["container"];
        if (!ContainerName().IsMatch(name))
        {
            throw new ArmErrorException(400, "ContainerOperationFailure",
                "The specifed resource name contains invalid characters.");
        }

        var properties = JsonBody.Object(await request.ReadBodyAsync(cancellationToken), "properties") ?? [];
        var publicAccess = JsonBody.String(properties, "publicAccess") ?? "None";
        if (publicAccess != "None" && JsonBody.Bool(JsonBody.Object(account, "properties"),
            "allowBlobPublicAccess") != true)
        {
            throw new ArmErrorException(409, "PublicAccessNotPermitted",
                "Public access is not permitted on this storage account.");
        }

        var existing = await services.Resources.GetAsync(request.Path, cancellationToken);
        var container = existing ?? NewContainer(request.Path, name);
        container["properties"]!["publicAccess"] = publicAccess;
        container["etag"] = NewETag();
        await services.Resources.PutAsync(container, cancellationToken);
        var wire = await WireAsync(container, cancellationToken);
        return existing is null ? ArmResponse.Created(wire) : ArmResponse.Ok(wire);
    }

    private async Task<ArmResponse> DeleteContainerAsync(ArmRequest request, CancellationToken cancellationToken)
    {
        var path = request.Path;
        if (await services.Resources.GetAsync(path + "/immutabilityPolicies/default",
            cancellationToken) is { } policy &&
            (await blobs.ListAsync(request["name"], request["container"], string.Empty, cancellationToken)).Count > 0)
        {
            throw new ArmErrorException(409, "ContainerProtectedFromDeletion",
                $"The storage account {request["name"]} container {request["container"]} is protected from deletion due to ImmutabilityPolicy ({(string?)policy["properties"]!["state"]}).");
        }

        await services.Resources.DeleteTreeAsync(path, cancellationToken);
        return new ArmResponse(200);
    }

    private async Task<ArmResponse> GetPolicyAsync(ArmRequest request, CancellationToken cancellationToken)
    {
        await FindContainerAsync(request, cancellationToken);
        var policy = await services.Resources.GetAsync(request.Path, cancellationToken)
            ?? throw new ArmErrorException(404, "ImmutabilityPolicyNotFound", $"The container {request["container"]} has no immutability policy.");
        return WithETag(policy);
    }

    /// <summary>
    /// Sets the days and protected appends; a locked policy can only be extended, as in Azure; If-Match is honoured
    /// when sent.
    /// </summary>
    private async Task<ArmResponse> PutPolicyAsync(ArmRequest request, CancellationToken cancellationToken)
    {
        var container = await FindContainerAsync(request, cancellationToken);
        var properties = JsonBody.Object(await request.ReadBodyAsync(cancellationToken), "properties") ?? [];
        var days = JsonBody.Int(properties, "immutabilityPeriodSinceCreationInDays");
        if (days is not (>= 1 and <= MaxDays))
        {
            throw new ArmErrorException(400, "InvalidImmutabilityPolicyPeriod",
                $"The immutability period must be between 1 and {MaxDays} days.");
        }

        var existing = await services.Resources.GetAsync(request.Path, cancellationToken);
        CheckIfMatch(request, existing);
        var state = (string?)existing?["properties"]?["state"] ?? "Unlocked";
        if (state == "Locked" && days < (int?)existing!["properties"]!["immutabilityPeriodSinceCreationInDays"])
        {
            throw new ArmErrorException(409, "ImmutabilityPolicyLocked",
                "A locked immutability policy can only be extended.");
        }

        var policy = new JsonObject
        {
            ["id"] = request.Path,
            ["name"] = "default",
            ["type"] = PolicyType,
            ["etag"] = NewETag(),
            ["properties"] = new JsonObject
            {
                ["immutabilityPeriodSinceCreationInDays"] = days,
                ["state"] = state,
                ["allowProtectedAppendWrites"] = JsonBody.Bool(properties, "allowProtectedAppendWrites") ?? false,
                ["allowProtectedAppendWritesAll"] = JsonBody.Bool(properties, "allowProtectedAppendWritesAll") ?? false,
            },
        };
        await services.Resources.PutAsync(policy, cancellationToken);
        container["etag"] = NewETag();
        await services.Resources.PutAsync(container, cancellationToken);
        return WithETag(policy);
    }

    private async Task<ArmResponse> DeletePolicyAsync(ArmRequest request, CancellationToken cancellationToken)
    {
        await FindContainerAsync(request, cancellationToken);
        var existing = await services.Resources.GetAsync(request.Path, cancellationToken)
            ?? throw new ArmErrorException(404, "ImmutabilityPolicyNotFound", $"The container {request["container"]} has no immutability policy.");
        CheckIfMatch(request, existing);
        if ((string?)existing["properties"]!["state"] == "Locked")
        {
            throw new ArmErrorException(409, "ImmutabilityPolicyLocked",
                "A locked immutability policy cannot be deleted.");
        }

        await services.Resources.DeleteTreeAsync(request.Path, cancellationToken);
        return WithETag(existing);
    }

    private static void CheckIfMatch(ArmRequest request, JsonObject? existing)
    {
        var ifMatch = request.Context.Request.Headers.IfMatch.ToString();
        if (ifMatch.Length > 0 && ifMatch != "*" && existing is not null && ifMatch != (string?)existing["etag"])
        {
            throw new ArmErrorException(412, "ConditionNotMet",
                "The condition specified using HTTP conditional header(s) is not met.");
        }
    }

    private static ArmResponse WithETag(JsonObject policy) =>
        new(200, policy.DeepClone(), new Dictionary<string, string> { ["ETag"] = (string)policy["etag"]! });

    /// <summary>
    /// The container's wire form with its policy summary (<c>hasImmutabilityPolicy</c>, <c>immutabilityPolicy</c>).
    /// </summary>
    private async Task<JsonObject> WireAsync(JsonObject container, CancellationToken cancellationToken)
    {
        var wire = container.DeepClone().AsObject();
        var properties = wire["properties"]!.AsObject();
        var policy = await services.Resources.GetAsync((string)container["id"]! + "/immutabilityPolicies/default",
            cancellationToken);
        properties["hasImmutabilityPolicy"] = policy is not null;
        if (policy is not null)
        {
            properties["immutabilityPolicy"] = new JsonObject
            {
                ["etag"] = policy["etag"]?.DeepClone(),
                ["properties"] = policy["properties"]!.DeepClone(),
            };
        }

        return wire;
    }

    /// <summary>
    /// The container as Resource Manager holds it, or as Azure Monitor made it by writing logs into it.
    /// </summary>
    private async Task<JsonObject> FindContainerAsync(ArmRequest request, CancellationToken cancellationToken)
    {
        await FindAccountAsync(request, cancellationToken);
        var path = ContainerPath(request.Path);
        if (await services.Resources.GetAsync(path, cancellationToken) is { } container)
        {
            return container;
        }

        if (!await blobs.ContainerExistsAsync(request["name"], request["container"], cancellationToken))
        {
            throw new ArmErrorException(404, "ContainerNotFound", "The specified container does not exist.");
        }

        container = NewContainer(path, request["container"]);
        await services.Resources.PutAsync(container, cancellationToken);
        return container;
    }

    private async Task<JsonObject> FindAccountAsync(ArmRequest request, CancellationToken cancellationToken)
    {
        var path = request.Path[..request.Path.IndexOf("/blobServices/", StringComparison.OrdinalIgnoreCase)];
        return await services.Resources.GetAsync(path, cancellationToken)
            ?? throw ArmErrors.ResourceNotFound($"Microsoft.Storage/storageAccounts/{request["name"]}", request["rg"]);
    }

    private static string ContainerPath(string path) =>
        path.IndexOf("/immutabilityPolicies/",
            StringComparison.OrdinalIgnoreCase) is var at and >= 0 ? path[..at] : path;

    private JsonObject NewContainer(string path, string name) => new()
    {
        ["id"] = path,
        ["name"] = name,
        ["type"] = ContainerType,
        ["etag"] = NewETag(),
        ["properties"] = new JsonObject
        {
            ["publicAccess"] = "None",
            ["leaseStatus"] = "Unlocked",
            ["leaseState"] = "Available",
            ["hasLegalHold"] = false,
            ["defaultEncryptionScope"] = "$account-encryption-key",
            ["denyEncryptionScopeOverride"] = false,
            ["lastModifiedTime"] = services.Clock.GetUtcNow().ToString("O", CultureInfo.InvariantCulture),
        },
    };

    private static string NewETag() => $"\"0x{Guid.NewGuid().ToString("N")[..15].ToUpperInvariant()}\"";
}
