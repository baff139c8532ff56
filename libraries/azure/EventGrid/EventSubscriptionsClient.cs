using System.Text.Json.Nodes;
using global::Azure.Core;
using global::Azure.ResourceManager;

namespace EdgeKv.Azure.EventGrid;

/// <summary>
/// Webhook event subscriptions (Microsoft.EventGrid/eventSubscriptions, 2022-06-15) as extension resources on a scope:
/// the subscription (<c>/subscriptions/{id}</c>), a resource group or a resource (such as a vault). Creating one runs
/// Event Grid's validation handshake against the endpoint; a failed handshake fails the call (<c>Url validation</c>).
/// </summary>
public sealed class EventSubscriptionsClient
{
    public const string ResourceDeleteSuccess = "Microsoft.Resources.ResourceDeleteSuccess";
    public const string ResourceWriteSuccess = "Microsoft.Resources.ResourceWriteSuccess";
    public const string VaultAccessPolicyChanged = "Microsoft.KeyVault.VaultAccessPolicyChanged";

    private readonly ArmRestClient rest;
    private readonly string subscriptionId;

    public EventSubscriptionsClient(ArmClient client, string subscriptionId)
    {
        ArgumentNullException.ThrowIfNull(client);
        rest = new ArmRestClient(client, subscriptionId);
        this.subscriptionId = subscriptionId;
    }

    /// <summary>The scope of a resource group's events (<c>null</c> resource group: the subscription's).</summary>
    public string Scope(string? resourceGroup = null) =>
        resourceGroup is null ? $"/subscriptions/{subscriptionId}" : $"/subscriptions/{subscriptionId}/resourceGroups/{resourceGroup}";

    /// <summary>
    /// Creates or updates a webhook subscription. <paramref name="endpointUrl"/> is sent as is (a <c>code</c> query
    /// parameter included).
    /// </summary>
    public async Task<EventSubscription> CreateOrUpdateWebhookAsync(string scope, string name, Uri endpointUrl,
        IReadOnlyList<string>? includedEventTypes = null,
        EventDeliverySchema schema = EventDeliverySchema.EventGridSchema, int? maxDeliveryAttempts = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(scope);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(endpointUrl);
        var properties = new JsonObject
        {
            ["destination"] = new JsonObject { ["endpointType"] = "WebHook",
                ["properties"] = new JsonObject { ["endpointUrl"] = endpointUrl.AbsoluteUri } },
            ["filter"] = new JsonObject { ["includedEventTypes"] = includedEventTypes is null ? null : JsonRead.Array(includedEventTypes) },
            ["eventDeliverySchema"] = schema.ToString(),
        };
        if (maxDeliveryAttempts is not null)
        {
            properties["retryPolicy"] = new JsonObject { ["maxDeliveryAttempts"] = maxDeliveryAttempts,
                ["eventTimeToLiveInMinutes"] = 1440 };
        }

        return Map((await rest.SendAsync(RequestMethod.Put, Path(scope, name), AzureApiVersions.EventGrid,
            new JsonObject { ["properties"] = properties }, cancellationToken))!);
    }

    public async Task<EventSubscription> GetAsync(string scope, string name,
        CancellationToken cancellationToken = default) =>
        Map((await rest.SendAsync(RequestMethod.Get, Path(scope, name), AzureApiVersions.EventGrid, null,
            cancellationToken))!);

    public async Task DeleteAsync(string scope, string name, CancellationToken cancellationToken = default) =>
        await rest.SendAsync(RequestMethod.Delete, Path(scope, name), AzureApiVersions.EventGrid, null,
            cancellationToken);

    private static string Path(string scope, string name) => $"{scope.TrimEnd('/')}/providers/Microsoft.EventGrid/eventSubscriptions/{name}";

    private static EventSubscription Map(JsonObject node)
    {
        var properties = node["properties"];
        return new EventSubscription(
            JsonRead.String(node, "id"), JsonRead.String(node, "name"), JsonRead.String(properties, "topic"),
            (string?)properties?["provisioningState"],
            (string?)properties?["destination"]?["properties"]?["endpointBaseUrl"],
            JsonRead.Strings(properties?["filter"]?["includedEventTypes"]),
            Enum.TryParse<EventDeliverySchema>((string?)properties?["eventDeliverySchema"],
                out var schema) ? schema : EventDeliverySchema.EventGridSchema,
            (int?)properties?["retryPolicy"]?["maxDeliveryAttempts"]);
    }
}
