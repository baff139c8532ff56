using System.Text.Json.Nodes;

namespace EdgeKv.Azure.Vaults;

/// <summary>Maps vault wire JSON (Microsoft.KeyVault 2023-07-01) to and from the typed records.</summary>
internal static class VaultMapper
{
    public static VaultProperties ToVault(JsonNode node)
    {
        var properties = node["properties"];
        var id = JsonRead.String(node, "id");
        return new VaultProperties(
            id,
            JsonRead.String(node, "name"),
            new global::Azure.Core.ResourceIdentifier(id).ResourceGroupName ?? string.Empty,
            JsonRead.String(node, "location"),
            Guid.TryParse((string?)properties?["tenantId"], out var tenant) ? tenant : Guid.Empty,
            (string?)properties?["sku"]?["name"] ?? string.Empty,
            (string?)properties?["vaultUri"] is { } uri ? new Uri(uri) : null,
            (bool?)properties?["enableSoftDelete"] ?? false,
            (int?)properties?["softDeleteRetentionInDays"] ?? 90,
            (bool?)properties?["enablePurgeProtection"] ?? false,
            ToPolicies(properties?["accessPolicies"]),
            JsonRead.Tags(node),
            (string?)properties?["provisioningState"])
        {
            EnableRbacAuthorization = (bool?)properties?["enableRbacAuthorization"] ?? false,
            NetworkRules = properties?["networkAcls"] is JsonObject acls
                ? new VaultNetworkRules((string?)acls["defaultAction"] ?? "Allow",
                    (string?)acls["bypass"] ?? "AzureServices",
                    acls["ipRules"] is JsonArray ips ? ips.OfType<JsonObject>().Select(r => JsonRead.String(r,
                        "value")).ToList() : [])
                : null,
        };
    }

    public static IReadOnlyList<VaultAccessPolicy> ToPolicies(JsonNode? policies) =>
        policies is JsonArray array
            ? array.OfType<JsonObject>().Select(p => new VaultAccessPolicy(
                Guid.TryParse((string?)p["tenantId"], out var t) ? t : Guid.Empty,
                JsonRead.String(p, "objectId"),
                JsonRead.Strings(p["permissions"]?["secrets"]),
                JsonRead.Strings(p["permissions"]?["keys"]),
                JsonRead.Strings(p["permissions"]?["certificates"]),
                JsonRead.Strings(p["permissions"]?["storage"]))).ToList()
            : [];

    public static JsonArray FromPolicies(IEnumerable<VaultAccessPolicy> policies) =>
        new(policies.Select(p => (JsonNode?)new JsonObject
        {
            ["tenantId"] = p.TenantId.ToString(),
            ["objectId"] = p.ObjectId,
            ["permissions"] = new JsonObject
            {
                ["secrets"] = JsonRead.Array(p.Secrets),
                ["keys"] = JsonRead.Array(p.Keys),
                ["certificates"] = JsonRead.Array(p.Certificates),
                ["storage"] = JsonRead.Array(p.Storage),
            },
        }).ToArray());

    public static JsonObject FromDefinition(VaultDefinition definition)
    {
        var properties = new JsonObject
        {
            ["tenantId"] = definition.TenantId.ToString(),
            ["sku"] = new JsonObject { ["family"] = "A", ["name"] = definition.SkuName },
            ["accessPolicies"] = FromPolicies(definition.AccessPolicies),
            ["enableSoftDelete"] = true,
            ["softDeleteRetentionInDays"] = definition.SoftDeleteRetentionInDays,
            ["createMode"] = "default",
        };
        if (definition.EnablePurgeProtection)
        {
            properties["enablePurgeProtection"] = true;
        }

        // Always explicit: from api-version 2026-02-01 on, a vault created without it is an RBAC vault that ignores its
        // access policies.
        properties["enableRbacAuthorization"] = definition.EnableRbacAuthorization;
        if (definition.NetworkRules is { } rules)
        {
            properties["networkAcls"] = new JsonObject
            {
                ["defaultAction"] = rules.DefaultAction,
                ["bypass"] = rules.Bypass,
                ["ipRules"] = new JsonArray(rules.IpRules.Select(ip => (JsonNode?)new JsonObject { ["value"] = ip }).ToArray()),
                ["virtualNetworkRules"] = new JsonArray(),
            };
        }

        return properties;
    }

    public static DeletedVault ToDeletedVault(JsonNode node)
    {
        var properties = node["properties"];
        return new DeletedVault(
            JsonRead.String(node, "name"),
            JsonRead.String(properties, "location"),
            JsonRead.String(properties, "vaultId"),
            JsonRead.Date(properties, "deletionDate"),
            JsonRead.Date(properties, "scheduledPurgeDate"),
            (bool?)properties?["purgeProtectionEnabled"] ?? false,
            JsonRead.Tags(properties));
    }
}
