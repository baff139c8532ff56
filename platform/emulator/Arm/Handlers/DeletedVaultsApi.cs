using System.Globalization;
using System.Text.Json.Nodes;
using EdgeKv.Emulator.Store;

namespace EdgeKv.Emulator.Arm.Handlers;

/// <summary>Deleted vaults (get, list, purge), vault name availability and Key Vault operation results.</summary>
internal sealed class DeletedVaultsApi(ArmServices services, VaultLifecycle lifecycle) : IArmRouteSource
{
    private const string Type = VaultLifecycle.VaultType;
    private const string Provider = ArmRoute.Subscription + "/providers/Microsoft.KeyVault";
    private const string Deleted = Provider + "/locations/(?<loc>[^/]+)/deletedVaults/(?<name>[^/]+)";

    public IEnumerable<ArmRoute> Routes =>
    [
        ArmRoute.Create("POST", Provider + "/checkNameAvailability", Type,
            "Microsoft.KeyVault/checkNameAvailability/read", LockCheck.None, CheckNameAsync),
        ArmRoute.Create("GET", Provider + "/deletedVaults", Type, "Microsoft.KeyVault/deletedVaults/read",
            LockCheck.None, ListAsync),
        ArmRoute.Create("GET", Deleted, Type, "Microsoft.KeyVault/locations/deletedVaults/read", LockCheck.None,
            GetAsync),
        ArmRoute.Create("POST", Deleted + "/purge", Type, "Microsoft.KeyVault/locations/deletedVaults/purge/action",
            LockCheck.None, PurgeAsync),
        ArmRoute.Create("GET", Provider + "/locations/(?<loc>[^/]+)/operationResults/(?<op>[^/]+)", Type,
            "Microsoft.KeyVault/locations/operationResults/read", LockCheck.None, GetOperationAsync),
    ];

    private async Task<ArmResponse> CheckNameAsync(ArmRequest request, CancellationToken cancellationToken)
    {
        var body = await request.ReadBodyAsync(cancellationToken);
        var name = JsonBody.String(body, "name") ?? throw ArmErrors.BadRequest("The parameter 'name' is required.");
        var type = JsonBody.String(body, "type") ?? throw ArmErrors.BadRequest("The parameter 'type' is required.");
        if (!type.Equals(Type, StringComparison.OrdinalIgnoreCase))
        {
            throw ArmErrors.BadRequest($"The resource type '{type}' is invalid. The supported value is '{Type}'.");
        }

        if (!VaultRules.IsValidName(name))
        {
            return Availability(false, "AccountNameInvalid", ArmErrors.VaultNameNotValid(name).Message);
        }

        if (await services.Resources.FindByNameAsync(Type, name, cancellationToken) is not null ||
            await lifecycle.GetDeletedAsync(name, cancellationToken) is not null)
        {
            return Availability(false, "AlreadyExists", ArmErrors.VaultAlreadyExists(name).Message);
        }

        return Availability(true, null, null);
    }

    private async Task<ArmResponse> ListAsync(ArmRequest request, CancellationToken cancellationToken) =>
        ArmResponse.List((await lifecycle.ListDeletedAsync(request["sub"],
            cancellationToken)).Select(lifecycle.ToWire));

    private async Task<ArmResponse> GetAsync(ArmRequest request, CancellationToken cancellationToken) =>
        ArmResponse.Ok(lifecycle.ToWire(await FindAsync(request, cancellationToken)));

    private async Task<ArmResponse> PurgeAsync(ArmRequest request, CancellationToken cancellationToken)
    {
        var deleted = await FindAsync(request, cancellationToken);
        if (lifecycle.IsPurgeBlocked(deleted))
        {
            throw ArmErrors.DeletedVaultPurgeNotAllowed();
        }

        await lifecycle.DestroyAsync(request["name"], cancellationToken);
        var operationId = Guid.NewGuid().ToString();
        await services.Store.PutAsync(Collections.Operations, operationId, new JsonObject
        {
            ["id"] = operationId,
            ["status"] = "Succeeded",
            ["createdDateTime"] = services.Clock.GetUtcNow().ToString("O"),
        }, cancellationToken);
        var location = $"{services.Settings.Endpoint.AbsoluteUri.TrimEnd('/')}/subscriptions/{request["sub"]}/providers/Microsoft.KeyVault/locations/{request["loc"]}/operationResults/{operationId}?api-version={request.ApiVersion}";
        return new ArmResponse(202, null, new Dictionary<string, string>
        {
            ["Location"] = location,
            ["Retry-After"] = ((int)services.Settings.RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture),
        });
    }

    private async Task<ArmResponse> GetOperationAsync(ArmRequest request, CancellationToken cancellationToken)
    {
        var operation = await services.Store.GetAsync(Collections.Operations, request["op"], cancellationToken)
            ?? throw ArmErrors.OperationNotFound(request["op"]);
        return ArmResponse.Ok(operation);
    }

    private async Task<JsonObject> FindAsync(ArmRequest request, CancellationToken cancellationToken)
    {
        var deleted = await lifecycle.GetDeletedAsync(request["name"], cancellationToken);
        if (deleted is null ||
            !string.Equals((string?)deleted["vault"]!["location"], request["loc"],
                StringComparison.OrdinalIgnoreCase) ||
            !string.Equals(Authorization.ScopePath.SubscriptionOf((string)deleted["vault"]!["id"]!), request["sub"],
                StringComparison.OrdinalIgnoreCase))
        {
            throw ArmErrors.DeletedVaultNotFound(request["name"]);
        }

        return deleted;
    }

    private static ArmResponse Availability(bool available, string? reason, string? message)
    {
        var body = new JsonObject { ["nameAvailable"] = available };
        if (reason is not null)
        {
            body["reason"] = reason;
            body["message"] = message;
        }

        return ArmResponse.Ok(body);
    }
}
