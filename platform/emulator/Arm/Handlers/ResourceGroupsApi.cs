using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace EdgeKv.Emulator.Arm.Handlers;

/// <summary>
/// Resource groups: create or update, get, list, patch tags, delete (cascading, refused under locks).
/// </summary>
internal sealed partial class ResourceGroupsApi(ArmServices services, VaultLifecycle vaults) : IArmRouteSource
{
    private const string Type = "Microsoft.Resources/resourceGroups";
    private const string Group = ArmRoute.Subscription + "/resourceGroups/(?<rg>[^/]+)";

    public IEnumerable<ArmRoute> Routes =>
    [
        ArmRoute.Create("GET", ArmRoute.Subscription + "/resourceGroups", Type,
            "Microsoft.Resources/subscriptions/resourceGroups/read", LockCheck.None, ListAsync),
        ArmRoute.Create("GET", Group, Type, "Microsoft.Resources/subscriptions/resourceGroups/read", LockCheck.None,
            GetAsync),
        ArmRoute.Create("PUT", Group, Type, "Microsoft.Resources/subscriptions/resourceGroups/write", LockCheck.Write,
            PutAsync),
        ArmRoute.Create("PATCH", Group, Type, "Microsoft.Resources/subscriptions/resourceGroups/write", LockCheck.Write,
            PatchAsync),
        ArmRoute.Create("DELETE", Group, Type, "Microsoft.Resources/subscriptions/resourceGroups/delete",
            LockCheck.Delete, DeleteAsync),
    ];

    [GeneratedRegex(@"^[-\w\._\(\)]{1,90}$")]
    private static partial Regex NamePattern();

    private async Task<ArmResponse> ListAsync(ArmRequest request, CancellationToken cancellationToken) =>
        ArmResponse.List(await services.Resources.ListAsync(Type, $"/subscriptions/{request["sub"]}", cancellationToken));

    /// <summary>GET answers the group; HEAD (check existence) answers 204 or 404.</summary>
    private async Task<ArmResponse> GetAsync(ArmRequest request, CancellationToken cancellationToken) =>
        await services.Resources.GetAsync(request.Path, cancellationToken) is { } group
            ? (request.Context.Request.Method == "HEAD" ? ArmResponse.NoContent() : ArmResponse.Ok(group))
            : throw ArmErrors.ResourceGroupNotFound(request["rg"]);

    private async Task<ArmResponse> PutAsync(ArmRequest request, CancellationToken cancellationToken)
    {
        var name = request["rg"];
        if (!NamePattern().IsMatch(name) || name.EndsWith('.'))
        {
            throw ArmErrors.InvalidResourceGroupName(name);
        }

        var body = await request.ReadBodyAsync(cancellationToken);
        var location = JsonBody.String(body, "location") ?? throw ArmErrors.LocationRequired();
        var existing = await services.Resources.GetAsync(request.Path, cancellationToken);
        var group = new JsonObject
        {
            ["id"] = $"/subscriptions/{request["sub"]}/resourceGroups/{(string?)existing?["name"] ?? name}",
            ["name"] = (string?)existing?["name"] ?? name,
            ["type"] = Type,
            ["location"] = (string?)existing?["location"] ?? location,
            ["tags"] = JsonBody.Tags(body),
            ["properties"] = new JsonObject { ["provisioningState"] = "Succeeded" },
        };
        await services.Resources.PutAsync(group, cancellationToken);
        return existing is null ? ArmResponse.Created(group) : ArmResponse.Ok(group);
    }

    private async Task<ArmResponse> PatchAsync(ArmRequest request, CancellationToken cancellationToken)
    {
        var group = await services.Resources.GetAsync(request.Path,
            cancellationToken) ?? throw ArmErrors.ResourceGroupNotFound(request["rg"]);
        var body = await request.ReadBodyAsync(cancellationToken);
        if (body["tags"] is not null)
        {
            group["tags"] = JsonBody.Tags(body);
        }

        await services.Resources.PutAsync(group, cancellationToken);
        return ArmResponse.Ok(group);
    }

    private async Task<ArmResponse> DeleteAsync(ArmRequest request, CancellationToken cancellationToken)
    {
        var group = await services.Resources.GetAsync(request.Path,
            cancellationToken) ?? throw ArmErrors.ResourceGroupNotFound(request["rg"]);
        foreach (var vault in await services.Resources.ListAsync(VaultLifecycle.VaultType, (string)group["id"]!,
            cancellationToken))
        {
            await vaults.SoftDeleteAsync(vault, cancellationToken);
        }

        await services.Resources.DeleteTreeAsync((string)group["id"]!, cancellationToken);
        return new ArmResponse(200);
    }
}
