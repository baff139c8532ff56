using System.Text.Json.Nodes;

namespace EdgeKv.Emulator.Arm.Handlers;

/// <summary>Microsoft.Authorization/locks at any scope: create or update, get, list, delete.</summary>
internal sealed class LocksApi(ArmServices services) : IArmRouteSource
{
    private const string Type = LockGuard.LockType;

    /// <summary>
    /// The first locks api-version whose ManagementLockObject carries <c>systemData</c> (2016-09-01 has none).
    /// </summary>
    public const string SystemDataSince = "2020-05-01";

    public IEnumerable<ArmRoute> Routes =>
        ArmRoute.ForExtensionResource(Type, respectsLocks: false, ListAsync, GetAsync, PutAsync, DeleteAsync);

    private async Task<ArmResponse> ListAsync(ArmRequest request, CancellationToken cancellationToken) =>
        ArmResponse.List((await services.Resources.ListAsync(Type, request["scope"],
            cancellationToken)).Select(l => ForVersion(l, request.ApiVersion)));

    private async Task<ArmResponse> GetAsync(ArmRequest request, CancellationToken cancellationToken) =>
        await services.Resources.GetAsync(request.Path, cancellationToken) is { } found
            ? ArmResponse.Ok(ForVersion(found, request.ApiVersion))
            : throw new ArmErrorException(404, "LockNotFound", $"The lock '{request["name"]}' could not be found.");

    /// <summary>
    /// The lock in the wire shape of <paramref name="apiVersion"/>: <c>systemData</c> only from 2020-05-01.
    /// </summary>
    private static JsonObject ForVersion(JsonObject resource, string apiVersion)
    {
        if (ProviderCatalog.IsAtLeast(apiVersion, SystemDataSince))
        {
            return resource;
        }

        var copy = resource.DeepClone().AsObject();
        copy.Remove("systemData");
        return copy;
    }

    private async Task<ArmResponse> PutAsync(ArmRequest request, CancellationToken cancellationToken)
    {
        var body = await request.ReadBodyAsync(cancellationToken);
        var properties = JsonBody.Object(body, "properties") ?? throw ArmErrors.LockLevelInvalid(null);
        var level = JsonBody.String(properties, "level");
        var canonical = level?.ToLowerInvariant() switch
        {
            "cannotdelete" => "CanNotDelete",
            "readonly" => "ReadOnly",
            _ => throw ArmErrors.LockLevelInvalid(level),
        };
        var notes = JsonBody.String(properties, "notes");
        if (notes is { Length: > 512 })
        {
            throw ArmErrors.BadRequest("The lock notes cannot be longer than 512 characters.");
        }

        var existing = await services.Resources.GetAsync(request.Path, cancellationToken);
        var lockProperties = new JsonObject { ["level"] = canonical };
        if (notes is not null)
        {
            lockProperties["notes"] = notes;
        }

        var resource = new JsonObject
        {
            ["id"] = request.Path,
            ["name"] = request["name"],
            ["type"] = Type,
            ["properties"] = lockProperties,
            ["systemData"] = SystemData(request, existing?["systemData"] as JsonObject),
        };
        await services.Resources.PutAsync(resource, cancellationToken);
        return existing is null ? ArmResponse.Created(ForVersion(resource,
            request.ApiVersion)) : ArmResponse.Ok(ForVersion(resource, request.ApiVersion));
    }

    /// <summary>Resource Manager's systemData: who created the lock and when, who changed it last and when.</summary>
    private JsonObject SystemData(ArmRequest request, JsonObject? previous)
    {
        var now = services.Clock.GetUtcNow().ToString("o", System.Globalization.CultureInfo.InvariantCulture);
        var by = request.Caller.ObjectId.ToString();
        return new JsonObject
        {
            ["createdBy"] = (string?)previous?["createdBy"] ?? by,
            ["createdByType"] = (string?)previous?["createdByType"] ?? "Application",
            ["createdAt"] = (string?)previous?["createdAt"] ?? now,
            ["lastModifiedBy"] = by,
            ["lastModifiedByType"] = "Application",
            ["lastModifiedAt"] = now,
        };
    }

    private async Task<ArmResponse> DeleteAsync(ArmRequest request, CancellationToken cancellationToken)
    {
        if (await services.Resources.GetAsync(request.Path, cancellationToken) is null)
        {
            return ArmResponse.NoContent();
        }

        await services.Resources.DeleteTreeAsync(request.Path, cancellationToken);
        return new ArmResponse(200);
    }
}
