using System.Text.Json.Nodes;
using EdgeKv.Emulator.Store;

namespace EdgeKv.Emulator.Arm.Handlers;

/// <summary><c>GET /subscriptions</c> (those the caller holds a role on) and <c>GET /subscriptions/{s}</c>.</summary>
internal sealed class SubscriptionsApi(ArmServices services) : IArmRouteSource
{
    private const string Type = "Microsoft.Resources/subscriptions";

    public IEnumerable<ArmRoute> Routes =>
    [
        ArmRoute.Create("GET", "/subscriptions", Type, string.Empty, LockCheck.None, ListAsync),
        ArmRoute.Create("GET", ArmRoute.Subscription, Type, "Microsoft.Resources/subscriptions/read", LockCheck.None,
            GetAsync),
    ];

    public static JsonObject ToWire(JsonObject subscription) => new()
    {
        ["id"] = $"/subscriptions/{subscription["subscriptionId"]}",
        ["authorizationSource"] = "RoleBased",
        ["managedByTenants"] = new JsonArray(),
        ["subscriptionId"] = (string?)subscription["subscriptionId"],
        ["tenantId"] = (string?)subscription["tenantId"],
        ["displayName"] = (string?)subscription["displayName"],
        ["state"] = (string?)subscription["state"] ?? "Enabled",
        ["subscriptionPolicies"] = new JsonObject
        {
            ["locationPlacementId"] = "Public_2014-09-01",
            ["quotaId"] = "PayAsYouGo_2014-09-01",
            ["spendingLimit"] = "Off",
        },
    };

    private async Task<ArmResponse> ListAsync(ArmRequest request, CancellationToken cancellationToken)
    {
        var visible = new List<JsonNode>();
        foreach (var subscription in await services.Store.ListAsync(Collections.Subscriptions, cancellationToken))
        {
            if (await services.Roles.HasAnyAssignmentAsync(request.Caller.ObjectId,
                (string)subscription["subscriptionId"]!, cancellationToken))
            {
                visible.Add(ToWire(subscription));
            }
        }

        return ArmResponse.List(visible);
    }

    private async Task<ArmResponse> GetAsync(ArmRequest request, CancellationToken cancellationToken) =>
        ArmResponse.Ok(ToWire((await services.Store.GetAsync(Collections.Subscriptions, request["sub"],
            cancellationToken))!));
}
