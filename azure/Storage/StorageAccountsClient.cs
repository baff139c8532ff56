using System.Text.Json.Nodes;
using global::Azure;
using global::Azure.Core;
using global::Azure.ResourceManager;
using global::Azure.ResourceManager.Resources;
using global::Azure.ResourceManager.Resources.Models;

namespace EdgeKv.Azure.Storage;

/// <summary>Storage accounts (Microsoft.Storage, pinned api-version) over <see cref="GenericResource"/> and raw calls.</summary>
public sealed class StorageAccountsClient
{
    private readonly ArmClient client;
    private readonly string subscriptionId;
    private readonly ArmRestClient rest;

    public StorageAccountsClient(ArmClient client, string subscriptionId)
    {
        ArgumentNullException.ThrowIfNull(client);
        this.client = client;
        this.subscriptionId = subscriptionId;
        rest = new ArmRestClient(client, subscriptionId);
    }

    public static ResourceIdentifier AccountId(string subscriptionId, string resourceGroup, string name) =>
        new($"/subscriptions/{subscriptionId}/resourceGroups/{resourceGroup}/providers/Microsoft.Storage/storageAccounts/{name}");

    /// <summary>Starts creating a StorageV2 account (long-running); await <see cref="StorageAccountCreation.WaitForCompletionAsync"/>.</summary>
    public async Task<StorageAccountCreation> StartCreateAsync(string resourceGroup, string name, string location, string skuName = "Standard_ZRS",
        IReadOnlyDictionary<string, string>? tags = null, CancellationToken cancellationToken = default)
    {
        var data = new GenericResourceData(new AzureLocation(location))
        {
            Kind = "StorageV2",
            Sku = new ResourcesSku { Name = skuName },
            Properties = BinaryData.FromString(new JsonObject { ["minimumTlsVersion"] = "TLS1_2", ["supportsHttpsTrafficOnly"] = true }.ToJsonString()),
        };
        foreach (var (key, value) in tags ?? new Dictionary<string, string>())
        {
            data.Tags[key] = value;
        }

        var operation = await client.GetGenericResources().CreateOrUpdateAsync(WaitUntil.Started, AccountId(subscriptionId, resourceGroup, name), data, cancellationToken);
        return new StorageAccountCreation(operation);
    }

    public async Task<StorageAccount> CreateAsync(string resourceGroup, string name, string location, string skuName = "Standard_ZRS",
        IReadOnlyDictionary<string, string>? tags = null, CancellationToken cancellationToken = default) =>
        await (await StartCreateAsync(resourceGroup, name, location, skuName, tags, cancellationToken)).WaitForCompletionAsync(cancellationToken);

    public async Task<StorageAccount> GetAsync(string resourceGroup, string name, CancellationToken cancellationToken = default) =>
        Map((await client.GetGenericResource(AccountId(subscriptionId, resourceGroup, name)).GetAsync(cancellationToken)).Value.Data);

    public async Task<IReadOnlyList<StorageAccount>> ListAsync(string? resourceGroup = null, CancellationToken cancellationToken = default)
    {
        var path = resourceGroup is null
            ? $"/subscriptions/{subscriptionId}/providers/Microsoft.Storage/storageAccounts"
            : $"/subscriptions/{subscriptionId}/resourceGroups/{resourceGroup}/providers/Microsoft.Storage/storageAccounts";
        return (await rest.ListAsync(path, AzureApiVersions.Storage, cancellationToken)).Select(MapJson).ToList();
    }

    /// <summary>Replaces the account's tags (PATCH).</summary>
    public async Task<StorageAccount> SetTagsAsync(string resourceGroup, string name, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken = default)
    {
        var result = await rest.SendAsync(RequestMethod.Patch, AccountId(subscriptionId, resourceGroup, name).ToString(), AzureApiVersions.Storage,
            new JsonObject { ["tags"] = JsonRead.TagsObject(tags) }, cancellationToken);
        return MapJson(result!);
    }

    public async Task DeleteAsync(string resourceGroup, string name, CancellationToken cancellationToken = default) =>
        await client.GetGenericResource(AccountId(subscriptionId, resourceGroup, name)).DeleteAsync(WaitUntil.Completed, cancellationToken);

    public async Task<NameAvailability> CheckNameAvailabilityAsync(string name, CancellationToken cancellationToken = default)
    {
        var result = await rest.SendAsync(RequestMethod.Post, $"/subscriptions/{subscriptionId}/providers/Microsoft.Storage/checkNameAvailability",
            AzureApiVersions.Storage, new JsonObject { ["name"] = name, ["type"] = "Microsoft.Storage/storageAccounts" }, cancellationToken);
        return new NameAvailability((bool?)result?["nameAvailable"] ?? false, (string?)result?["reason"], (string?)result?["message"]);
    }

    internal static StorageAccount Map(GenericResourceData data)
    {
        var properties = data.Properties is null ? null : JsonNode.Parse(data.Properties.ToString());
        return new StorageAccount(data.Id.ToString(), data.Name, data.Location.Name, data.Sku?.Name ?? string.Empty, data.Kind ?? string.Empty,
            (string?)properties?["provisioningState"], data.Tags.ToDictionary(t => t.Key, t => t.Value));
    }

    private static StorageAccount MapJson(JsonObject node) => new(
        JsonRead.String(node, "id"), JsonRead.String(node, "name"), JsonRead.String(node, "location"),
        (string?)node["sku"]?["name"] ?? string.Empty, JsonRead.String(node, "kind"),
        (string?)node["properties"]?["provisioningState"], JsonRead.Tags(node));
}
