using System.Text.Json.Nodes;
using global::Azure;
using global::Azure.Core;
using global::Azure.ResourceManager;

namespace EdgeKv.Azure.Authorization;

/// <summary>
/// Role definitions, built-in and custom (Microsoft.Authorization/roleDefinitions, pinned api-version).
/// </summary>
public sealed class RoleDefinitionsClient
{
    private readonly ArmRestClient rest;

    public RoleDefinitionsClient(ArmClient client, string subscriptionId)
    {
        ArgumentNullException.ThrowIfNull(client);
        rest = new ArmRestClient(client, subscriptionId);
    }

    /// <summary>The definition with the GUID as seen at the scope, or null when there is none.</summary>
    public async Task<RoleDefinition?> GetAsync(string scope, Guid name, CancellationToken cancellationToken = default)
    {
        try
        {
            return Map((await rest.SendAsync(RequestMethod.Get, Path(scope, name), AzureApiVersions.RoleDefinitions,
                null, cancellationToken))!);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <summary>
    /// Creates or replaces a custom role with one permission block; the caller needs the right on every assignable
    /// scope.
    /// </summary>
    public async Task<RoleDefinition> CreateOrUpdateCustomAsync(string scope, Guid name, string roleName,
        string description, IReadOnlyList<string> assignableScopes,
        IReadOnlyList<string> actions, IReadOnlyList<string> dataActions, IReadOnlyList<string>? notDataActions = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(assignableScopes);
        var body = new JsonObject
        {
            ["properties"] = new JsonObject
            {
                ["roleName"] = roleName,
                ["description"] = description,
                ["type"] = "CustomRole",
                ["assignableScopes"] = JsonRead.Array(assignableScopes),
                ["permissions"] = new JsonArray(new JsonObject
                {
                    ["actions"] = JsonRead.Array(actions),
                    ["notActions"] = new JsonArray(),
                    ["dataActions"] = JsonRead.Array(dataActions),
                    ["notDataActions"] = JsonRead.Array(notDataActions),
                }),
            },
        };
        return Map((await rest.SendAsync(RequestMethod.Put, Path(scope, name), AzureApiVersions.RoleDefinitions, body,
            cancellationToken))!);
    }

    public async Task DeleteAsync(string scope, Guid name, CancellationToken cancellationToken = default) =>
        await rest.SendAsync(RequestMethod.Delete, Path(scope, name), AzureApiVersions.RoleDefinitions, null,
            cancellationToken);

    private static string Path(string scope, Guid name) => $"{scope.TrimEnd('/')}/providers/Microsoft.Authorization/roleDefinitions/{name}";

    private static RoleDefinition Map(JsonObject node)
    {
        var properties = node["properties"];
        var blocks = (properties?["permissions"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        IReadOnlyList<string> All(string field) => [.. blocks.SelectMany(b => JsonRead.Strings(b[field]))];
        return new RoleDefinition(
            JsonRead.String(node, "id"),
            Guid.Parse(JsonRead.String(node, "name")),
            (string?)properties?["roleName"] ?? string.Empty,
            (string?)properties?["description"] ?? string.Empty,
            (string?)properties?["type"] ?? string.Empty,
            JsonRead.Strings(properties?["assignableScopes"]),
            All("actions"),
            All("notActions"),
            All("dataActions"),
            All("notDataActions"));
    }
}
