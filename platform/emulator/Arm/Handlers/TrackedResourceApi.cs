using System.Text.Json.Nodes;

namespace EdgeKv.Emulator.Arm.Handlers;

/// <summary>
/// A resource type tracked in resource groups, served as Resource Manager serves every such type: listed at the
/// subscription and at the group, read by id (404 ResourceNotFound naming the group), deleted with its child and
/// extension resources and their identities (204 when there is nothing to delete), and always answered in the wire
/// form of <see cref="ToWireAsync"/>. A type adds its create, update and any actions of its own.
/// </summary>
internal abstract class TrackedResourceApi(ResourceRepository resources, string type) : IArmRouteSource
{
    public abstract IEnumerable<ArmRoute> Routes { get; }

    /// <summary>The stored resource as the wire shows it.</summary>
    protected abstract Task<JsonObject> ToWireAsync(JsonObject resource, CancellationToken cancellationToken);

    /// <summary>The id of the resource a request addresses (its own path on the type's routes).</summary>
    protected virtual string ResourceId(ArmRequest request) =>
        $"/subscriptions/{request["sub"]}/resourceGroups/{request["rg"]}/providers/{type}/{request["name"]}";

    /// <summary>What the resource keeps outside the resource store, deleted with it.</summary>
    protected virtual Task DeleteOwnDataAsync(ArmRequest request, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    protected async Task<ArmResponse> ListAsync(ArmRequest request, CancellationToken cancellationToken)
    {
        var scope = request.Path[..request.Path.LastIndexOf("/providers/", StringComparison.OrdinalIgnoreCase)];
        var wire = new List<JsonNode>();
        foreach (var resource in await resources.ListAsync(type, scope, cancellationToken))
        {
            wire.Add(await ToWireAsync(resource, cancellationToken));
        }

        return ArmResponse.List(wire);
    }

    protected async Task<ArmResponse> GetAsync(ArmRequest request, CancellationToken cancellationToken) =>
        ArmResponse.Ok(await ToWireAsync(await FindAsync(request, cancellationToken), cancellationToken));

    protected async Task<ArmResponse> DeleteAsync(ArmRequest request, CancellationToken cancellationToken)
    {
        if (await resources.GetAsync(request.Path, cancellationToken) is null)
        {
            return ArmResponse.NoContent();
        }

        await resources.DeleteTreeAsync(request.Path, cancellationToken);
        await DeleteOwnDataAsync(request, cancellationToken);
        return new ArmResponse(200);
    }

    protected async Task<JsonObject> FindAsync(ArmRequest request, CancellationToken cancellationToken) =>
        await resources.GetAsync(ResourceId(request), cancellationToken)
            ?? throw ArmErrors.ResourceNotFound($"{type}/{request["name"]}", request["rg"]);
}
