using System.Text.Json.Nodes;

namespace EdgeKv.Emulator.Authorization;

/// <summary>
/// Every role definition of the emulated tenant: the built-in and configured roles (<see cref="RoleCatalog"/>) and the
/// custom roles created through Resource Manager, which are tenant-wide (one GUID, one role name per tenant) and stored
/// once under <c>/providers/Microsoft.Authorization/roleDefinitions/{guid}</c> whatever scope they were written at.
/// </summary>
internal sealed class RoleDefinitionDirectory(Arm.ResourceRepository resources, RoleCatalog catalog)
{
    public const string Type = "Microsoft.Authorization/roleDefinitions";
    private const string StoredPrefix = "/providers/Microsoft.Authorization/roleDefinitions/";

    public async Task<BuiltInRole?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        catalog.FindById(id) ?? (await resources.GetAsync(StoredPrefix + id,
            cancellationToken) is { } stored ? ToRole(stored) : null);

    /// <summary>
    /// Reads the GUID at the end of a role definition id
    /// (<c>/subscriptions/{s}/providers/Microsoft.Authorization/roleDefinitions/{guid}</c>).
    /// </summary>
    public Task<BuiltInRole?> FindByDefinitionIdAsync(string? roleDefinitionId, CancellationToken cancellationToken) =>
        roleDefinitionId is not null && Guid.TryParse(roleDefinitionId.TrimEnd('/').Split('/')[^1], out var id)
            ? FindAsync(id, cancellationToken)
            : Task.FromResult<BuiltInRole?>(null);

    public async Task<IReadOnlyList<BuiltInRole>> ListAsync(CancellationToken cancellationToken) =>
        [.. catalog.All, .. (await resources.ListAsync(Type, cancellationToken)).Select(ToRole)];

    public Task PutAsync(BuiltInRole role, DateTimeOffset now, CancellationToken cancellationToken) =>
        resources.PutAsync(new JsonObject
        {
            ["id"] = StoredPrefix + role.Id,
            ["name"] = role.Id.ToString(),
            ["type"] = Type,
            ["properties"] = new JsonObject
            {
                ["roleName"] = role.Name,
                ["description"] = role.Description,
                ["type"] = "CustomRole",
                ["assignableScopes"] = Arm.JsonBody.StringArray(role.AssignableScopes ?? []),
                ["permissions"] = new JsonArray(new JsonObject
                {
                    ["actions"] = Arm.JsonBody.StringArray(role.Actions),
                    ["notActions"] = Arm.JsonBody.StringArray(role.NotActions),
                    ["dataActions"] = Arm.JsonBody.StringArray(role.DataActions ?? []),
                    ["notDataActions"] = Arm.JsonBody.StringArray(role.NotDataActions ?? []),
                }),
                ["updatedOn"] = now.ToString("O"),
            },
        }, cancellationToken);

    public Task DeleteAsync(Guid id,
        CancellationToken cancellationToken) => resources.DeleteTreeAsync(StoredPrefix + id, cancellationToken);

    /// <summary>
    /// True when the id names a role created through Resource Manager (built-in roles cannot be written or deleted).
    /// </summary>
    public async Task<bool> IsStoredAsync(Guid id,
        CancellationToken cancellationToken) => await resources.GetAsync(StoredPrefix + id,
            cancellationToken) is not null;

    /// <summary>
    /// A stored custom role; several permission blocks are read as one (EdgeKv's and the tests' roles have one).
    /// </summary>
    private static BuiltInRole ToRole(JsonObject stored)
    {
        var properties = stored["properties"]!.AsObject();
        var blocks = (properties["permissions"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        static string[] Strings(IEnumerable<JsonObject> blocks, string name) =>
            [.. blocks.SelectMany(b => (b[name] as JsonArray ?? []).Select(v => (string?)v).OfType<string>())];
        return new BuiltInRole(Guid.Parse((string)stored["name"]!), (string?)properties["roleName"] ?? string.Empty,
            (string?)properties["description"] ?? string.Empty,
            Strings(blocks, "actions"), Strings(blocks, "notActions"), Strings(blocks, "dataActions"),
            Strings(blocks, "notDataActions"),
            [.. (properties["assignableScopes"] as JsonArray ?? []).Select(v => (string?)v).OfType<string>()]);
    }
}
