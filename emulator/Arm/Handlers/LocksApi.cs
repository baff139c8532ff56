using System.Text.Json.Nodes;

namespace EdgeKv.Emulator.Arm.Handlers;

/// <summary>Microsoft.Authorization/locks at any scope: create or update, get, list, delete.</summary>
internal sealed class LocksApi(ArmServices services) : IArmRouteSource
{
    private const string Type = LockGuard.LockType;
    private const string Collection = ArmRoute.AnyScope + "/providers/Microsoft.Authorization/locks";

    public IEnumerable<ArmRoute> Routes =>
    [
        ArmRoute.Create("GET", Collection, Type, "Microsoft.Authorization/locks/read", LockCheck.None, ListAsync),
        ArmRoute.Create("GET", Collection + "/(?<name>[^/]+)", Type, "Microsoft.Authorization/locks/read", LockCheck.None, GetAsync),
        ArmRoute.Create("PUT", Collection + "/(?<name>[^/]+)", Type, "Microsoft.Authorization/locks/write", LockCheck.None, PutAsync),
        ArmRoute.Create("DELETE", Collection + "/(?<name>[^/]+)", Type, "Microsoft.Authorization/locks/delete", LockCheck.None, DeleteAsync),
    ];

    private async Task<ArmResponse> ListAsync(ArmRequest request, CancellationToken cancellationToken) =>
        ArmResponse.List(await services.Resources.ListAsync(Type, request["scope"], cancellationToken));

    private async Task<ArmResponse> GetAsync(ArmRequest request, CancellationToken cancellationToken) =>
        await services.Resources.GetAsync(request.Path, cancellationToken) is { } found
            ? ArmResponse.Ok(found)
            : throw new ArmErrorException(404, "LockNotFound", $"The lock '{request["name"]}' could not be found.");

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
        };
        await services.Resources.PutAsync(resource, cancellationToken);
        return existing is null ? ArmResponse.Created(resource) : ArmResponse.Ok(resource);
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
