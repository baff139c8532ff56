using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace EdgeKv.Emulator.Arm.Handlers;

/// <summary>
/// Microsoft.ManagedIdentity/userAssignedIdentities (2023-01-31): create, get, list, delete. The identity's principal
/// (object) id and client id are made once, at creation, and kept until the resource is deleted; a compute host the
/// identity is attached to (the admin API's identity hosts) gets its tokens from the managed-identity endpoint.
/// </summary>
internal sealed partial class UserAssignedIdentitiesApi(ArmServices services)
    : TrackedResourceApi(services.Resources, Type)
{
    internal const string Type = "Microsoft.ManagedIdentity/userAssignedIdentities";

    public override IEnumerable<ArmRoute> Routes =>
        ArmRoute.ForTrackedResource(Type, ListAsync, GetAsync, PutAsync, patch: null, DeleteAsync);

    /// <summary>
    /// Azure's rule: 3-128 characters, letters, digits, hyphens and underscores, starting with a letter or digit.
    /// </summary>
    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_-]{2,127}$")]
    private static partial Regex NamePattern();

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

    protected override async Task<JsonObject> ToWireAsync(JsonObject resource, CancellationToken cancellationToken)
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
}
