using System.Text.Json.Nodes;
using EdgeKv.Emulator.Authorization;

namespace EdgeKv.Emulator.Arm.Handlers;

/// <summary>The stored and wire shape of a role assignment (2022-04-01).</summary>
internal static class RoleAssignmentDocument
{
    public static JsonObject Create(string scope, Guid name, BuiltInRole role, Guid principalId, string principalType,
        DateTimeOffset now,
        string? condition = null)
    {
        var subscriptionId = ScopePath.SubscriptionOf(scope);
        var document = new JsonObject
        {
            ["id"] = $"{scope.TrimEnd('/')}/providers/Microsoft.Authorization/roleAssignments/{name}",
            ["name"] = name.ToString(),
            ["type"] = RoleAuthorizer.RoleAssignmentType,
            ["properties"] = new JsonObject
            {
                ["roleDefinitionId"] = $"/subscriptions/{subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/{role.Id}",
                ["principalId"] = principalId.ToString(),
                ["principalType"] = principalType,
                ["scope"] = scope.TrimEnd('/'),
                ["createdOn"] = now.ToString("O"),
                ["updatedOn"] = now.ToString("O"),
            },
        };
        if (condition is not null)
        {
            document["properties"]!["condition"] = condition;
            document["properties"]!["conditionVersion"] = "2.0";
        }

        return document;
    }

    public static JsonObject Definition(string scope, BuiltInRole role)
    {
        var subscriptionId = ScopePath.SubscriptionOf(scope);
        return new JsonObject
        {
            ["id"] = $"/subscriptions/{subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/{role.Id}",
            ["name"] = role.Id.ToString(),
            ["type"] = "Microsoft.Authorization/roleDefinitions",
            ["properties"] = new JsonObject
            {
                ["roleName"] = role.Name,
                ["type"] = role.IsCustom ? "CustomRole" : "BuiltInRole",
                ["description"] = role.Description,
                ["assignableScopes"] = role.IsCustom ? Arm.JsonBody.StringArray(role.AssignableScopes!) : new JsonArray("/"),
                ["permissions"] = new JsonArray(new JsonObject
                {
                    ["actions"] = Arm.JsonBody.StringArray(role.Actions),
                    ["notActions"] = Arm.JsonBody.StringArray(role.NotActions),
                    ["dataActions"] = Arm.JsonBody.StringArray(role.DataActions ?? []),
                    ["notDataActions"] = Arm.JsonBody.StringArray(role.NotDataActions ?? []),
                }),
            },
        };
    }
}
