using global::Azure;
using global::Azure.Core;
using global::Azure.ResourceManager;
using global::Azure.ResourceManager.Models;
using global::Azure.ResourceManager.Resources;
using global::Azure.ResourceManager.Resources.Models;

namespace EdgeKv.Azure.Edge;

/// <summary>
/// Azure Stack Edge resources (Microsoft.DataBoxEdge/dataBoxEdgeDevices) and their system-assigned identities.
/// </summary>
public sealed class EdgeDevicesClient
{
    private readonly ArmClient client;
    private readonly string subscriptionId;
    private readonly ArmRestClient rest;

    public EdgeDevicesClient(ArmClient client, string subscriptionId)
    {
        ArgumentNullException.ThrowIfNull(client);
        this.client = client;
        this.subscriptionId = subscriptionId;
        rest = new ArmRestClient(client, subscriptionId);
    }

    /// <summary>The subscription this client works in.</summary>
    public string SubscriptionId => subscriptionId;

    public static ResourceIdentifier DeviceId(string subscriptionId, string resourceGroup, string name) =>
        new($"/subscriptions/{subscriptionId}/resourceGroups/{resourceGroup}/providers/Microsoft.DataBoxEdge/dataBoxEdgeDevices/{name}");

    /// <summary>Creates the resource with a system-assigned identity (kept for the resource's lifetime).</summary>
    public async Task<EdgeDevice> CreateAsync(string resourceGroup, string name, string location,
        IReadOnlyDictionary<string, string>? tags = null,
        CancellationToken cancellationToken = default)
    {
        var data = new GenericResourceData(new AzureLocation(location))
        {
            Kind = "AzureStackEdge",
            Sku = new ResourcesSku { Name = "Edge", Tier = "Standard" },
            Identity = new ManagedServiceIdentity(ManagedServiceIdentityType.SystemAssigned),
            Properties = BinaryData.FromString("{}"),
        };
        foreach (var (key, value) in tags ?? new Dictionary<string, string>())
        {
            data.Tags[key] = value;
        }

        var operation = await client.GetGenericResources().CreateOrUpdateAsync(WaitUntil.Completed,
            DeviceId(subscriptionId, resourceGroup, name), data, cancellationToken);
        return Map(operation.Value.Data);
    }

    public async Task<EdgeDevice> GetAsync(string resourceGroup, string name,
        CancellationToken cancellationToken = default) =>
        Map((await client.GetGenericResource(DeviceId(subscriptionId, resourceGroup,
            name)).GetAsync(cancellationToken)).Value.Data);

    /// <summary>
    /// Every Azure Stack Edge resource of the resource group (of the whole subscription when null), with its identity
    /// (one paged list instead of a read per device).
    /// </summary>
    public async Task<IReadOnlyList<EdgeDevice>> ListAsync(string? resourceGroup,
        CancellationToken cancellationToken = default) =>
        (await rest.ListAsync(resourceGroup is null
                ? $"/subscriptions/{subscriptionId}/providers/Microsoft.DataBoxEdge/dataBoxEdgeDevices"
                : $"/subscriptions/{subscriptionId}/resourceGroups/{resourceGroup}/providers/Microsoft.DataBoxEdge/dataBoxEdgeDevices",
            AzureApiVersions.DataBoxEdge, cancellationToken)).Select(Map).ToList();

    /// <summary>
    /// Turns the system-assigned identity on or off (PATCH <c>identity.type</c>); the principal stays the same while
    /// the resource lives.
    /// </summary>
    public async Task<EdgeDevice> SetIdentityEnabledAsync(string resourceGroup, string name, bool enabled,
        CancellationToken cancellationToken = default)
    {
        var body = new System.Text.Json.Nodes.JsonObject
        {
            ["identity"] = new System.Text.Json.Nodes.JsonObject { ["type"] = enabled ? "SystemAssigned" : "None" },
        };
        await rest.SendAsync(RequestMethod.Patch, DeviceId(subscriptionId, resourceGroup, name).ToString(),
            AzureApiVersions.DataBoxEdge, body, cancellationToken);
        return await GetAsync(resourceGroup, name, cancellationToken);
    }

    public async Task<EdgeDeviceExtendedInfo> GetExtendedInformationAsync(string resourceGroup, string name,
        CancellationToken cancellationToken = default) =>
        MapExtendedInfo(await rest.SendAsync(RequestMethod.Post,
            $"{DeviceId(subscriptionId, resourceGroup, name)}/getExtendedInformation",
            AzureApiVersions.DataBoxEdge, null, cancellationToken));

    /// <summary>
    /// Records the device's vault (client secret store) and channel integrity key; null fields are left as they are.
    /// </summary>
    public async Task<EdgeDeviceExtendedInfo> UpdateExtendedInformationAsync(string resourceGroup, string name,
        EdgeDeviceExtendedInfo update,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        var body = new System.Text.Json.Nodes.JsonObject();
        void Set(string field, string? value)
        {
            if (value is not null)
            {
                body[field] = value;
            }
        }

        Set("clientSecretStoreId", update.ClientSecretStoreId);
        Set("clientSecretStoreUrl", update.ClientSecretStoreUrl);
        Set("channelIntegrityKeyName", update.ChannelIntegrityKeyName);
        Set("channelIntegrityKeyVersion", update.ChannelIntegrityKeyVersion);
        Set("syncStatus", update.KeyVaultSyncStatus);
        return MapExtendedInfo(await rest.SendAsync(RequestMethod.Post,
            $"{DeviceId(subscriptionId, resourceGroup, name)}/updateExtendedInformation",
            AzureApiVersions.DataBoxEdge, body, cancellationToken));
    }

    public async Task DeleteAsync(string resourceGroup, string name, CancellationToken cancellationToken = default) =>
        await client.GetGenericResource(DeviceId(subscriptionId, resourceGroup, name)).DeleteAsync(WaitUntil.Completed,
            cancellationToken);

    private static EdgeDeviceExtendedInfo MapExtendedInfo(System.Text.Json.Nodes.JsonObject? node)
    {
        var properties = node?["properties"];
        return new EdgeDeviceExtendedInfo((string?)properties?["clientSecretStoreId"],
            (string?)properties?["clientSecretStoreUrl"],
            (string?)properties?["channelIntegrityKeyName"], (string?)properties?["channelIntegrityKeyVersion"],
            (string?)properties?["keyVaultSyncStatus"]);
    }

    private static EdgeDevice Map(System.Text.Json.Nodes.JsonObject node)
    {
        var identity = node["identity"];
        var type = (string?)identity?["type"] ?? "None";
        var enabled = !string.Equals(type, "None", StringComparison.OrdinalIgnoreCase);
        return new EdgeDevice((string)node["id"]!, (string)node["name"]!, (string?)node["location"] ?? string.Empty,
            enabled ? type : "None",
            enabled && Guid.TryParse((string?)identity?["principalId"], out var principal) ? principal : null,
            enabled && Guid.TryParse((string?)identity?["tenantId"], out var tenant) ? tenant : null,
            node["tags"] is System.Text.Json.Nodes.JsonObject tags ? tags.ToDictionary(t => t.Key,
                t => (string?)t.Value ?? string.Empty) : new Dictionary<string, string>());
    }

    private static EdgeDevice Map(GenericResourceData data)
    {
        var identity = data.Identity;
        var enabled = identity is not null && identity.ManagedServiceIdentityType != ManagedServiceIdentityType.None;
        return new EdgeDevice(data.Id.ToString(), data.Name, data.Location.Name,
            enabled ? identity!.ManagedServiceIdentityType.ToString() : "None",
            enabled ? identity!.PrincipalId : null, enabled ? identity!.TenantId : null,
            data.Tags.ToDictionary(t => t.Key, t => t.Value));
    }
}
