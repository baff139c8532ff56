using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EdgeKv.Emulator.Authorization;

namespace EdgeKv.Emulator.Arm.Handlers;

/// <summary>
/// Microsoft.Authorization/roleDefinitions (2022-04-01): the built-in roles, and custom roles created, updated and
/// deleted at any scope. A custom role is visible (listed, assignable) only at or below one of its assignable scopes,
/// and writing it needs <c>roleDefinitions/write</c> on every assignable scope, as in Azure.
/// </summary>
internal sealed partial class RoleDefinitionsApi(ArmServices services,
    RoleDefinitionDirectory definitions) : IArmRouteSource
{
    private const string Type = RoleDefinitionDirectory.Type;

    public IEnumerable<ArmRoute> Routes =>
        ArmRoute.ForExtensionResource(Type, respectsLocks: false, ListAsync, GetAsync, PutAsync, DeleteAsync);

    [GeneratedRegex(@"roleName\s+eq\s+'(?<name>[^']+)'", RegexOptions.IgnoreCase)]
    private static partial Regex RoleNameFilter();

    private async Task<ArmResponse> ListAsync(ArmRequest request, CancellationToken cancellationToken)
    {
        var scope = request["scope"];
        var name = RoleNameFilter().Match(request.Query("$filter") ?? string.Empty) is { Success: true } match ? match.Groups["name"].Value : null;
        return ArmResponse.List((await definitions.ListAsync(cancellationToken))
            .Where(role => role.IsAssignableAt(scope) && (name is null || string.Equals(role.Name, name,
                StringComparison.OrdinalIgnoreCase)))
            .Select(role => RoleAssignmentDocument.Definition(scope, role)));
    }

    private async Task<ArmResponse> GetAsync(ArmRequest request, CancellationToken cancellationToken) =>
        Guid.TryParse(request["name"], out var id) && await definitions.FindAsync(id, cancellationToken) is { } role
            ? ArmResponse.Ok(RoleAssignmentDocument.Definition(request["scope"], role))
            : throw ArmErrors.RoleDefinitionNotFound();

    private async Task<ArmResponse> PutAsync(ArmRequest request, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(request["name"], out var id))
        {
            throw ArmErrors.InvalidRequestContent($"The role definition ID '{request["name"]}' is not valid. The role definition ID must be a GUID.");
        }

        var body = await request.ReadBodyAsync(cancellationToken);
        var properties = JsonBody.Object(body,
            "properties") ?? throw ArmErrors.InvalidRequestContent("The property 'properties' is required");
        var roleName = JsonBody.String(properties,
            "roleName") is { Length: > 0 } n ? n : throw ArmErrors.InvalidRequestContent("The property 'roleName' is required");
        var scopes = Strings(JsonBody.Array(properties, "assignableScopes"));
        if (scopes.Length == 0 || scopes.Any(s => s == "/"))
        {
            throw ArmErrors.InvalidRequestContent("The property 'assignableScopes' must name at least one subscription, resource group or resource, and not the root scope '/'.");
        }

        var blocks = (JsonBody.Array(properties, "permissions") ?? []).OfType<JsonObject>().ToList();
        var existing = await definitions.FindAsync(id, cancellationToken);
        if (existing is not null && !await definitions.IsStoredAsync(id, cancellationToken))
        {
            throw ArmErrors.AuthorizationFailed(request.Caller.ObjectId,
                "Microsoft.Authorization/roleDefinitions/write", request.Path);
        }

        if ((await definitions.ListAsync(cancellationToken)).Any(r => r.Id != id && string.Equals(r.Name, roleName,
            StringComparison.OrdinalIgnoreCase)))
        {
            throw new ArmErrorException(409, "RoleDefinitionWithSameNameExists",
                "A custom role with the same name already exists in this directory. Use a different name.");
        }

        // Writing a custom role needs the right on every scope it can be assigned at, not only where the request is
        // sent.
        foreach (var scope in scopes)
        {
            if (!await services.Roles.IsAllowedAsync(request.Caller.ObjectId, scope,
                "Microsoft.Authorization/roleDefinitions/write", cancellationToken))
            {
                throw ArmErrors.AuthorizationFailed(request.Caller.ObjectId,
                    "Microsoft.Authorization/roleDefinitions/write", scope);
            }
        }

        var role = new BuiltInRole(id, roleName, JsonBody.String(properties, "description") ?? string.Empty,
            [.. blocks.SelectMany(b => Strings(JsonBody.Array(b, "actions")))],
            [.. blocks.SelectMany(b => Strings(JsonBody.Array(b, "notActions")))],
            [.. blocks.SelectMany(b => Strings(JsonBody.Array(b, "dataActions")))],
            [.. blocks.SelectMany(b => Strings(JsonBody.Array(b, "notDataActions")))], scopes);
        await definitions.PutAsync(role, services.Clock.GetUtcNow(), cancellationToken);
        var wire = RoleAssignmentDocument.Definition(request["scope"], role);
        return existing is null ? ArmResponse.Created(wire) : ArmResponse.Ok(wire);
    }

    private async Task<ArmResponse> DeleteAsync(ArmRequest request, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(request["name"], out var id) || !await definitions.IsStoredAsync(id, cancellationToken))
        {
            return ArmResponse.NoContent();
        }

        var role = (await definitions.FindAsync(id, cancellationToken))!;
        await definitions.DeleteAsync(id, cancellationToken);
        return ArmResponse.Ok(RoleAssignmentDocument.Definition(request["scope"], role));
    }

    private static string[] Strings(JsonArray? array) => [.. (array ?? []).Select(v => (string?)v).OfType<string>()];
}
