using System.Text.Json.Nodes;
using EdgeKv.Emulator.Store;

namespace EdgeKv.Emulator.Arm.Handlers;

/// <summary>Resource provider registration: get, list, register, unregister.</summary>
internal sealed class ProvidersApi(ArmServices services) : IArmRouteSource
{
    private const string Type = "Microsoft.Resources/providers";
    private const string Provider = ArmRoute.Subscription + "/providers/(?<ns>[^/]+)";

    public IEnumerable<ArmRoute> Routes =>
    [
        ArmRoute.Create("GET", ArmRoute.Subscription + "/providers", Type,
            "Microsoft.Resources/subscriptions/providers/read", LockCheck.None, ListAsync),
        ArmRoute.Create("GET", Provider, Type, "Microsoft.Resources/subscriptions/providers/read", LockCheck.None,
            GetAsync),
        ArmRoute.Create("POST", Provider + "/register", Type, "{ns}/register/action", LockCheck.None,
            (request, ct) => SetStateAsync(request, "Registered", ct)),
        ArmRoute.Create("POST", Provider + "/unregister", Type, "{ns}/unregister/action", LockCheck.None,
            (request, ct) => SetStateAsync(request, "Unregistered", ct)),
    ];

    private async Task<ArmResponse> ListAsync(ArmRequest request, CancellationToken cancellationToken)
    {
        var subscription = (await services.Store.GetAsync(Collections.Subscriptions, request["sub"],
            cancellationToken))!;
        return ArmResponse.List(ProviderCatalog.Providers.Keys.Select(ns => ToWire(request["sub"], ns,
            StateOf(subscription, ns))));
    }

    private async Task<ArmResponse> GetAsync(ArmRequest request, CancellationToken cancellationToken)
    {
        var ns = Canonical(request["ns"]);
        var subscription = (await services.Store.GetAsync(Collections.Subscriptions, request["sub"],
            cancellationToken))!;
        return ArmResponse.Ok(ToWire(request["sub"], ns, StateOf(subscription, ns)));
    }

    private async Task<ArmResponse> SetStateAsync(ArmRequest request, string state, CancellationToken cancellationToken)
    {
        var ns = Canonical(request["ns"]);
        var subscription = (await services.Store.GetAsync(Collections.Subscriptions, request["sub"],
            cancellationToken))!;
        var states = subscription["registrationState"] as JsonObject ?? [];
        states[ns] = state;
        subscription["registrationState"] = states.DeepClone();
        await services.Store.PutAsync(Collections.Subscriptions, request["sub"], subscription, cancellationToken);
        return ArmResponse.Ok(ToWire(request["sub"], ns, state));
    }

    private static string Canonical(string ns) =>
        ProviderCatalog.Providers.Keys.FirstOrDefault(k => k.Equals(ns, StringComparison.OrdinalIgnoreCase)) ??
        throw ArmErrors.InvalidResourceNamespace(ns);

    private static string StateOf(JsonObject subscription, string ns) =>
        ProviderCatalog.AlwaysRegistered.Contains(ns, StringComparer.OrdinalIgnoreCase)
            ? "Registered"
            : (string?)subscription["registrationState"]?[ns] ?? "NotRegistered";

    private static JsonObject ToWire(string subscriptionId, string ns, string state) => new()
    {
        ["id"] = $"/subscriptions/{subscriptionId}/providers/{ns}",
        ["namespace"] = ns,
        ["registrationState"] = state,
        ["registrationPolicy"] = "RegistrationRequired",
        ["resourceTypes"] = new JsonArray(ProviderCatalog.Providers[ns].Select(type => (JsonNode)new JsonObject
        {
            ["resourceType"] = type.Key,
            ["locations"] = JsonBody.StringArray(ProviderCatalog.Locations),
            ["apiVersions"] = JsonBody.StringArray(type.Value),
            ["capabilities"] = "None",
        }).ToArray()),
    };
}
