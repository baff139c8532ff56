using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace EdgeKv.Emulator.Arm.Handlers;

/// <summary>
/// Microsoft.ManagedIdentity/userAssignedIdentities (2023-01-31): create, get, list, delete. The identity's principal
/// (object) id and client id are made once, at creation, and kept until the resource is deleted; a compute host the
/// identity is attached to (the admin API's identity hosts) gets its tokens from the managed-identity endpoint.
/// </summary>
internal sealed partial class UserAssignedIdentitiesApi(ArmServices services) : IArmRouteSource
{
    internal const string Type = "Microsoft.ManagedIdentity/userAssignedIdentities";
    private const string Identity = ArmRoute.ResourceGroup + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/(?<name>[^/]+)";

    public IEnumerable<ArmRoute> Routes =>
    [
        ArmRoute.Create("GET", ArmRoute.Subscription + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities",
            Type, Type + "/read", LockCheck.None, ListAsync),
        ArmRoute.Create("GET", ArmRoute.ResourceGroup + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities",
            Type, Type + "/read", LockCheck.None, ListAsync),
        ArmRoute.Create("GET", Identity, Type, Type + "/read", LockCheck.None, GetAsync),
        ArmRoute.Create("PUT", Identity, Type, Type + "/write", LockCheck.Write, PutAsync),
        ArmRoute.Create("DELETE", Identity, Type, Type + "/delete", LockCheck.Delete, DeleteAsync),
    ];

    /// <summary>
    /// Azure's rule: 3-128 characters, letters, digits, hyphens and underscores, starting with a letter or digit.
    /// </summary>
    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_-]{2,127}$")]
    private static partial Regex NamePattern();

    private async Task<ArmResponse> ListAsync(ArmRequest request, CancellationToken cancellationToken)
    {
        var scope = request.Path[..request.Path.LastIndexOf("/providers/", StringComparison.OrdinalIgnoreCase)];
        var identities = new List<JsonNode>();
        foreach (var identity in await services.Resources.ListAsync(Type, scope, cancellationToken))
        {
            identities.Add(await ToWireAsync(identity, cancellationToken));
        }

        return ArmResponse.List(identities);
    }

    private async Task<ArmResponse> GetAsync(ArmRequest request, CancellationToken cancellationToken) =>
        ArmResponse.Ok(await ToWireAsync(await FindAsync(request, cancellationToken), cancellationToken));

    private async Task<ArmResponse> PutAsync(ArmRequest request, CancellationToken cancellationToken)
    {
        var name = request["name"];
        if (!NamePattern().IsMatch(name))
        {
            throw new ArmErrorException(400, "InvalidResourceName",
                $"The resource name '{name}' is invalid. It must be 3-128 letters, digits, hyphens or underscores, starting with a letter or digit.");
        }

        var body = await request.ReadBodyAsync(cancellationToken);
        var location = JsonBody.String(body, "location") ?? throw ArmErrors.LocationRequired();
        var existing = await services.Resources.GetAsync(request.Path, cancellationToken);
        var identity = existing ?? new JsonObject
        {
            ["id"] = request.Path,
            ["name"] = name,
            ["type"] = Type,
            ["location"] = location,
        };
        identity["tags"] = JsonBody.Tags(body);
        await services.Resources.PutAsync(identity, cancellationToken);
        if (await services.Identities.FindByResourceAsync(request.Path, cancellationToken) is null)
        {
            await services.Identities.CreateAsync(request.Path, cancellationToken);
        }

        var wire = await ToWireAsync(identity, cancellationToken);
        return existing is null ? ArmResponse.Created(wire) : ArmResponse.Ok(wire);
    }

    private async Task<ArmResponse> DeleteAsync(ArmRequest request, CancellationToken cancellationToken)
    {
        if (await services.Resources.GetAsync(request.Path, cancellationToken) is null)
        {
            return ArmResponse.NoContent();
        }

        await services.Resources.DeleteTreeAsync(request.Path, cancellationToken); // its principal goes with it
        return new ArmResponse(200);
    }

    private async Task<JsonObject> ToWireAsync(JsonObject resource, CancellationToken cancellationToken)
    {
        var wire = resource.DeepClone().AsObject();
        var identity = await services.Identities.FindByResourceAsync((string)resource["id"]!, cancellationToken)
            ?? throw new InvalidOperationException($"The user-assigned identity '{resource["id"]}' has no principal.");
        wire["properties"] = new JsonObject
        {
            ["tenantId"] = identity.TenantId.ToString(),
            ["principalId"] = identity.PrincipalId.ToString(),
            ["clientId"] = identity.ClientId.ToString(),
        };
        return wire;
    }

    private async Task<JsonObject> FindAsync(ArmRequest request, CancellationToken cancellationToken) =>
        await services.Resources.GetAsync($"/subscriptions/{request["sub"]}/resourceGroups/{request["rg"]}/providers/{Type}/{request["name"]}", cancellationToken)
            ?? throw ArmErrors.ResourceNotFound($"{Type}/{request["name"]}", request["rg"]);
}
