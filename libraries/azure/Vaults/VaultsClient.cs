using System.Text.Json.Nodes;
using global::Azure;
using global::Azure.Core;
using global::Azure.ResourceManager;
using global::Azure.ResourceManager.Resources;

namespace EdgeKv.Azure.Vaults;

/// <summary>
/// Key Vault management (Microsoft.KeyVault/vaults, pinned api-version): vaults over <see cref="GenericResource"/>,
/// and raw calls for lists, name availability, deleted vaults, purge and access policies.
/// </summary>
public sealed class VaultsClient
{
    private readonly ArmClient client;
    private readonly string subscriptionId;
    private readonly ArmRestClient rest;

    public VaultsClient(ArmClient client, string subscriptionId)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrEmpty(subscriptionId);
        this.client = client;
        this.subscriptionId = subscriptionId;
        rest = new ArmRestClient(client, subscriptionId);
    }

    /// <summary>The subscription this client works in.</summary>
    public string SubscriptionId => subscriptionId;

    public static ResourceIdentifier VaultId(string subscriptionId, string resourceGroup, string name) =>
        new($"/subscriptions/{subscriptionId}/resourceGroups/{resourceGroup}/providers/Microsoft.KeyVault/vaults/{name}");

    public async Task<VaultProperties> CreateOrUpdateAsync(string resourceGroup, string name,
        VaultDefinition definition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var data = new GenericResourceData(new AzureLocation(definition.Location))
        {
            Properties = BinaryData.FromString(VaultMapper.FromDefinition(definition).ToJsonString()),
        };
        foreach (var (key, value) in definition.Tags ?? new Dictionary<string, string>())
        {
            data.Tags[key] = value;
        }

        var operation = await client.GetGenericResources().CreateOrUpdateAsync(WaitUntil.Completed,
            VaultId(subscriptionId, resourceGroup, name), data, cancellationToken);
        return Map(operation.Value.Data);
    }

    /// <summary>Recovers a soft-deleted vault (createMode recover): it comes back with its access policies.</summary>
    public async Task<VaultProperties> RecoverAsync(string resourceGroup, string name, string location,
        CancellationToken cancellationToken = default)
    {
        var body = new JsonObject
        {
            ["location"] = location,
            ["properties"] = new JsonObject { ["createMode"] = "recover" },
        };
        var result = await rest.SendAsync(RequestMethod.Put, VaultId(subscriptionId, resourceGroup, name).ToString(),
            AzureApiVersions.KeyVault, body, cancellationToken);
        return VaultMapper.ToVault(result!);
    }

    public async Task<VaultProperties> GetAsync(string resourceGroup, string name,
        CancellationToken cancellationToken = default)
    {
        var resource = await client.GetGenericResource(VaultId(subscriptionId, resourceGroup,
            name)).GetAsync(cancellationToken);
        return Map(resource.Value.Data);
    }

    public async Task<IReadOnlyList<VaultProperties>> ListAsync(string? resourceGroup = null,
        CancellationToken cancellationToken = default)
    {
        var path = resourceGroup is null
            ? $"/subscriptions/{subscriptionId}/providers/Microsoft.KeyVault/vaults"
            : $"/subscriptions/{subscriptionId}/resourceGroups/{resourceGroup}/providers/Microsoft.KeyVault/vaults";
        return (await rest.ListAsync(path, AzureApiVersions.KeyVault,
            cancellationToken)).Select(VaultMapper.ToVault).ToList();
    }

    /// <summary>Deletes a vault; with soft-delete on, it becomes a deleted vault until purged or recovered.</summary>
    public async Task DeleteAsync(string resourceGroup, string name, CancellationToken cancellationToken = default) =>
        await client.GetGenericResource(VaultId(subscriptionId, resourceGroup, name)).DeleteAsync(WaitUntil.Completed,
            cancellationToken);

    public async Task<NameAvailability> CheckNameAvailabilityAsync(string name,
        CancellationToken cancellationToken = default)
    {
        var result = await rest.SendAsync(RequestMethod.Post,
            $"/subscriptions/{subscriptionId}/providers/Microsoft.KeyVault/checkNameAvailability",
            AzureApiVersions.KeyVault, new JsonObject { ["name"] = name, ["type"] = "Microsoft.KeyVault/vaults" },
            cancellationToken);
        return new NameAvailability((bool?)result?["nameAvailable"] ?? false, (string?)result?["reason"],
            (string?)result?["message"]);
    }

    public async Task<DeletedVault> GetDeletedAsync(string location, string name,
        CancellationToken cancellationToken = default)
    {
        var result = await rest.SendAsync(RequestMethod.Get, DeletedPath(location, name), AzureApiVersions.KeyVault,
            null, cancellationToken);
        return VaultMapper.ToDeletedVault(result!);
    }

    public async Task<IReadOnlyList<DeletedVault>> ListDeletedAsync(CancellationToken cancellationToken = default) =>
        (await rest.ListAsync($"/subscriptions/{subscriptionId}/providers/Microsoft.KeyVault/deletedVaults",
            AzureApiVersions.KeyVault, cancellationToken))
            .Select(VaultMapper.ToDeletedVault).ToList();

    /// <summary>
    /// Purges a deleted vault (long-running; refused with <c>MethodNotAllowed</c> while purge protection holds).
    /// </summary>
    public async Task PurgeDeletedAsync(string location, string name, CancellationToken cancellationToken = default) =>
        await rest.SendAndWaitAsync(RequestMethod.Post, DeletedPath(location, name) + "/purge",
            AzureApiVersions.KeyVault, null, cancellationToken);

    /// <summary>Adds, replaces or removes access policy entries; returns the vault's policies afterwards.</summary>
    public async Task<IReadOnlyList<VaultAccessPolicy>> UpdateAccessPoliciesAsync(string resourceGroup, string name,
        AccessPolicyUpdateKind kind,
        IReadOnlyList<VaultAccessPolicy> policies, CancellationToken cancellationToken = default)
    {
        var body = new JsonObject { ["properties"] = new JsonObject { ["accessPolicies"] = VaultMapper.FromPolicies(policies) } };
        var path = $"{VaultId(subscriptionId, resourceGroup, name)}/accessPolicies/{kind.ToString().ToLowerInvariant()}";
        var result = await rest.SendAsync(RequestMethod.Put, path, AzureApiVersions.KeyVault, body, cancellationToken);
        return VaultMapper.ToPolicies(result?["properties"]?["accessPolicies"]);
    }

    private string DeletedPath(string location, string name) =>
        $"/subscriptions/{subscriptionId}/providers/Microsoft.KeyVault/locations/{location}/deletedVaults/{name}";

    private static VaultProperties Map(GenericResourceData data)
    {
        var node = new JsonObject
        {
            ["id"] = data.Id.ToString(),
            ["name"] = data.Name,
            ["location"] = data.Location.Name,
            ["tags"] = JsonRead.TagsObject(data.Tags.ToDictionary(t => t.Key, t => t.Value)),
            ["properties"] = data.Properties is null ? null : JsonNode.Parse(data.Properties.ToString()),
        };
        return VaultMapper.ToVault(node);
    }
}
