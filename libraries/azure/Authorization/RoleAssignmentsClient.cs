using System.Text.Json.Nodes;
using global::Azure.Core;
using global::Azure.ResourceManager;

namespace EdgeKv.Azure.Authorization;

/// <summary>Role assignments at any scope (Microsoft.Authorization/roleAssignments, pinned api-version).</summary>
public sealed class RoleAssignmentsClient
{
    private readonly ArmRestClient rest;
    private readonly string subscriptionId;

    public RoleAssignmentsClient(ArmClient client, string subscriptionId)
    {
        ArgumentNullException.ThrowIfNull(client);
        this.subscriptionId = subscriptionId;
        rest = new ArmRestClient(client, subscriptionId);
    }

    public async Task<RoleAssignment> CreateAsync(string scope, Guid roleDefinition, Guid principalId,
        string principalType = "ServicePrincipal",
        Guid? name = null, CancellationToken cancellationToken = default)
    {
        var body = new JsonObject
        {
            ["properties"] = new JsonObject
            {
                // A role definition is named in the subscription of the scope it is assigned at.
                ["roleDefinitionId"] = $"/subscriptions/{SubscriptionOf(scope) ?? subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/{roleDefinition}",
                ["principalId"] = principalId.ToString(),
                ["principalType"] = principalType,
            },
        };
        var path = $"{scope.TrimEnd('/')}/providers/Microsoft.Authorization/roleAssignments/{name ?? Guid.NewGuid()}";
        return Map((await rest.SendAsync(RequestMethod.Put, path, AzureApiVersions.RoleAssignments, body,
            cancellationToken))!);
    }

    /// <summary>
    /// Assignments that apply at the scope (at it or above) and below it; optionally for one principal.
    /// </summary>
    public async Task<IReadOnlyList<RoleAssignment>> ListAsync(string scope, Guid? principalId = null,
        CancellationToken cancellationToken = default)
    {
        var path = $"{scope.TrimEnd('/')}/providers/Microsoft.Authorization/roleAssignments";
        if (principalId is not null)
        {
            path += $"?$filter={Uri.EscapeDataString($"principalId eq '{principalId}'")}";
        }

        return (await rest.ListAsync(path, AzureApiVersions.RoleAssignments, cancellationToken)).Select(Map).ToList();
    }

    public async Task DeleteAsync(string roleAssignmentId, CancellationToken cancellationToken = default) =>
        await rest.SendAsync(RequestMethod.Delete, roleAssignmentId, AzureApiVersions.RoleAssignments, null,
            cancellationToken);

    private static string? SubscriptionOf(string scope)
    {
        string[] segments = scope.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments.Length >= 2 && segments[0].Equals("subscriptions",
            StringComparison.OrdinalIgnoreCase) ? segments[1] : null;
    }

    private static RoleAssignment Map(JsonObject node) => new(
        JsonRead.String(node, "id"),
        Guid.Parse(JsonRead.String(node, "name")),
        (string?)node["properties"]?["scope"] ?? string.Empty,
        (string?)node["properties"]?["roleDefinitionId"] ?? string.Empty,
        Guid.Parse((string?)node["properties"]?["principalId"] ?? Guid.Empty.ToString()));
}
