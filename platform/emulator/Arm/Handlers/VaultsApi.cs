using System.Text.Json.Nodes;

namespace EdgeKv.Emulator.Arm.Handlers;

/// <summary>Microsoft.KeyVault/vaults: create or update (and recover), get, patch, delete (soft), list.</summary>
internal sealed class VaultsApi(ArmServices services, VaultLifecycle lifecycle, EventGrid.ResourceEvents events,
    KeyVault.VaultListeners listeners) : IArmRouteSource
{
    private const string Type = VaultLifecycle.VaultType;

    public IEnumerable<ArmRoute> Routes =>
    [
        .. ArmRoute.ForTrackedResource(Type, ListAsync, GetAsync, PutAsync, PatchAsync, DeleteAsync),
        ArmRoute.Create("PUT", ArmRoute.TrackedResource(Type) + "/accessPolicies/(?<op>[^/]+)", Type,
            "Microsoft.KeyVault/vaults/accessPolicies/write", LockCheck.Write, UpdateAccessPoliciesAsync),
    ];

    private async Task<ArmResponse> ListAsync(ArmRequest request, CancellationToken cancellationToken)
    {
        var scope = request.Path[..request.Path.LastIndexOf("/providers/", StringComparison.OrdinalIgnoreCase)];
        return ArmResponse.List(await services.Resources.ListAsync(Type, scope, cancellationToken));
    }

    private async Task<ArmResponse> GetAsync(ArmRequest request, CancellationToken cancellationToken) =>
        ArmResponse.Ok(await FindAsync(request, cancellationToken));

    private async Task<ArmResponse> DeleteAsync(ArmRequest request, CancellationToken cancellationToken)
    {
        if (await services.Resources.GetAsync(request.Path, cancellationToken) is not { } vault)
        {
            return ArmResponse.NoContent();
        }

        await lifecycle.SoftDeleteAsync(vault, cancellationToken);
        return new ArmResponse(200);
    }

    private async Task<ArmResponse> PutAsync(ArmRequest request, CancellationToken cancellationToken)
    {
        var name = request["name"];
        if (!VaultRules.IsValidName(name))
        {
            throw ArmErrors.VaultNameNotValid(name);
        }

        var body = await request.ReadBodyAsync(cancellationToken);
        var location = JsonBody.String(body, "location") ?? throw ArmErrors.LocationRequired();
        var properties = JsonBody.Object(body,
            "properties") ?? throw ArmErrors.BadRequest("The parameter 'properties' is required.");
        var createMode = JsonBody.String(properties, "createMode") ?? "default";
        var existing = await services.Resources.GetAsync(request.Path, cancellationToken);
        if (createMode.Equals("recover", StringComparison.OrdinalIgnoreCase))
        {
            return await RecoverAsync(request, name, body, cancellationToken);
        }

        if (!createMode.Equals("default", StringComparison.OrdinalIgnoreCase))
        {
            throw ArmErrors.BadRequest($"The createMode '{createMode}' is invalid. The supported values are 'default' and 'recover'.");
        }

        if (existing is null)
        {
            if (await lifecycle.GetDeletedAsync(name, cancellationToken) is not null)
            {
                throw ArmErrors.VaultInDeletedState(name);
            }

            if (await services.Resources.FindByNameAsync(Type, name, cancellationToken) is not null)
            {
                throw ArmErrors.VaultAlreadyExists(name);
            }
        }

        var vault = VaultDocument.Build(request.Path, name, location, body, properties, existing,
            await listeners.EnsureAsync(name, cancellationToken), request.ApiVersion);
        await services.Resources.PutAsync(vault, cancellationToken);
        await RaiseIfPoliciesChangedAsync(existing, vault, cancellationToken);
        return existing is null ? ArmResponse.Created(vault) : ArmResponse.Ok(vault);
    }

    private async Task<ArmResponse> RecoverAsync(ArmRequest request, string name, JsonObject body,
        CancellationToken cancellationToken)
    {
        var deleted = await lifecycle.GetDeletedAsync(name,
            cancellationToken) ?? throw ArmErrors.SoftDeletedVaultDoesNotExist(name);
        var vault = deleted["vault"]!.DeepClone().AsObject();
        vault["id"] = request.Path;
        if (body["tags"] is not null)
        {
            vault["tags"] = JsonBody.Tags(body);
        }

        await services.Resources.PutAsync(vault, cancellationToken);
        await lifecycle.ForgetDeletedAsync(name, cancellationToken);
        return ArmResponse.Ok(vault);
    }

    private async Task<ArmResponse> PatchAsync(ArmRequest request, CancellationToken cancellationToken)
    {
        var vault = await FindAsync(request, cancellationToken);
        var body = await request.ReadBodyAsync(cancellationToken);
        var patch = JsonBody.Object(body, "properties") ?? [];
        var merged = vault["properties"]!.DeepClone().AsObject();
        foreach (var (key, value) in patch)
        {
            merged[key] = value?.DeepClone();
        }

        var rebuilt = VaultDocument.Build(request.Path, (string)vault["name"]!, (string)vault["location"]!,
            body["tags"] is null ? new JsonObject { ["tags"] = vault["tags"]?.DeepClone() } : body, merged, vault,
            await listeners.EnsureAsync((string)vault["name"]!, cancellationToken), request.ApiVersion);
        await services.Resources.PutAsync(rebuilt, cancellationToken);
        await RaiseIfPoliciesChangedAsync(vault, rebuilt, cancellationToken);
        return ArmResponse.Ok(rebuilt);
    }

    private async Task<ArmResponse> UpdateAccessPoliciesAsync(ArmRequest request, CancellationToken cancellationToken)
    {
        var op = request["op"].ToLowerInvariant();
        if (op is not ("add" or "replace" or "remove"))
        {
            throw ArmErrors.BadRequest($"The access policy update kind '{request["op"]}' is invalid. The supported values are 'add', 'replace' and 'remove'.");
        }

        var vault = await FindAsync(request, cancellationToken);
        var body = await request.ReadBodyAsync(cancellationToken);
        var requested = VaultRules.ReadAccessPolicies(
            JsonBody.Array(JsonBody.Object(body, "properties"),
                "accessPolicies") ?? throw ArmErrors.BadRequest("The parameter 'properties.accessPolicies' is required."));
        var before = vault.DeepClone().AsObject();
        var current = vault["properties"]!["accessPolicies"]!.AsArray();
        AccessPolicyEditor.Apply(current, requested, op);
        if (current.Count > VaultRules.MaxAccessPolicies)
        {
            throw ArmErrors.AccessPolicyLimitExceeded(current.Count);
        }

        await services.Resources.PutAsync(vault, cancellationToken);
        await RaiseIfPoliciesChangedAsync(before, vault, cancellationToken);
        return ArmResponse.Ok(new JsonObject
        {
            ["id"] = $"{vault["id"]}/accessPolicies/{op}",
            ["name"] = op,
            ["type"] = "Microsoft.KeyVault/vaults/accessPolicies",
            ["location"] = (string?)vault["location"],
            ["properties"] = new JsonObject { ["accessPolicies"] = current.DeepClone() },
        });
    }

    /// <summary>Key Vault's <c>VaultAccessPolicyChanged</c> event when a write changed the access policies.</summary>
    private Task RaiseIfPoliciesChangedAsync(JsonObject? before, JsonObject after,
        CancellationToken cancellationToken) =>
        before is not null && !JsonNode.DeepEquals(before["properties"]?["accessPolicies"],
            after["properties"]?["accessPolicies"])
            ? events.AccessPolicyChangedAsync(after, cancellationToken)
            : Task.CompletedTask;

    private async Task<JsonObject> FindAsync(ArmRequest request, CancellationToken cancellationToken)
    {
        var vaultId = $"/subscriptions/{request["sub"]}/resourceGroups/{request["rg"]}/providers/Microsoft.KeyVault/vaults/{request["name"]}";
        return await services.Resources.GetAsync(vaultId, cancellationToken)
            ?? throw ArmErrors.ResourceNotFound($"{Type}/{request["name"]}", request["rg"]);
    }
}
