using System.Text.Json.Nodes;

namespace EdgeKv.Emulator.Arm.Handlers;

/// <summary>
/// Builds the stored (and wire) document of a vault from a create or update request, enforcing Key Vault's rules:
/// soft-delete and purge protection cannot be turned off, retention is 7-90 days and fixed once set. A vault created at
/// api-version 2026-02-01 or later without <c>enableRbacAuthorization</c> uses Azure RBAC (before it, access policies).
/// </summary>
internal static class VaultDocument
{
    /// <summary>The first api-version whose vaults default to Azure RBAC for the data plane.</summary>
    public const string RbacDefaultSince = "2026-02-01";

    /// <summary>
    /// True when a vault created at <paramref name="apiVersion"/> without the property is an RBAC vault (previews by
    /// their date).
    /// </summary>
    public static bool DefaultsToRbac(string apiVersion) =>
        apiVersion.Length >= RbacDefaultSince.Length && string.CompareOrdinal(apiVersion[..RbacDefaultSince.Length],
            RbacDefaultSince) >= 0;

    public static JsonObject Build(string path, string name, string location, JsonObject body, JsonObject properties,
        JsonObject? existing, Uri vaultUri, string apiVersion)
    {
        var old = existing?["properties"] as JsonObject;
        var tenant = VaultRules.ReadTenant(properties);
        var sku = VaultRules.ReadSku(JsonBody.Object(properties, "sku"));
        var policies = JsonBody.Array(properties, "accessPolicies") is { } list
            ? VaultRules.ReadAccessPolicies(list)
            : old?["accessPolicies"]?.DeepClone().AsArray() ?? throw ArmErrors.BadRequest("The parameter 'accessPolicies' is required.");
        var softDelete = JsonBody.Bool(properties, "enableSoftDelete");
        if (softDelete == false)
        {
            throw ArmErrors.BadRequest("The property \"enableSoftDelete\" cannot be set to false. Enabling the 'soft delete' functionality is an irreversible action.");
        }

        var retention = JsonBody.Int(properties, "softDeleteRetentionInDays");
        if (retention is < 7 or > 90)
        {
            throw ArmErrors.BadRequest("The property \"softDeleteRetentionInDays\" must be between 7 and 90.");
        }

        var oldRetention = (int?)old?["softDeleteRetentionInDays"];
        if (oldRetention is not null && retention is not null && retention != oldRetention)
        {
            throw ArmErrors.BadRequest("The property \"softDeleteRetentionInDays\" cannot be changed once the vault is created.");
        }

        var purgeProtection = JsonBody.Bool(properties, "enablePurgeProtection");
        if (purgeProtection == false)
        {
            throw ArmErrors.BadRequest("The property \"enablePurgeProtection\" cannot be set to false. Enabling the purge protection for a vault is an irreversible action.");
        }

        var result = new JsonObject
        {
            ["sku"] = sku,
            ["tenantId"] = tenant.ToString(),
            ["accessPolicies"] = policies,
            ["enabledForDeployment"] = JsonBody.Bool(properties,
                "enabledForDeployment") ?? (bool?)old?["enabledForDeployment"] ?? false,
            ["enabledForDiskEncryption"] = JsonBody.Bool(properties,
                "enabledForDiskEncryption") ?? (bool?)old?["enabledForDiskEncryption"] ?? false,
            ["enabledForTemplateDeployment"] = JsonBody.Bool(properties,
                "enabledForTemplateDeployment") ?? (bool?)old?["enabledForTemplateDeployment"] ?? false,
            ["enableSoftDelete"] = true,
            ["softDeleteRetentionInDays"] = oldRetention ?? retention ?? 90,
            ["enableRbacAuthorization"] = JsonBody.Bool(properties,
                "enableRbacAuthorization") ?? (bool?)old?["enableRbacAuthorization"] ?? DefaultsToRbac(apiVersion),
            ["vaultUri"] = vaultUri.AbsoluteUri,
            ["provisioningState"] = "Succeeded",
            ["publicNetworkAccess"] = JsonBody.String(properties,
                "publicNetworkAccess") ?? (string?)old?["publicNetworkAccess"] ?? "Enabled",
        };
        if ((NetworkAcls(JsonBody.Object(properties, "networkAcls")) ?? old?["networkAcls"]?.DeepClone()) is { } acls)
        {
            result["networkAcls"] = acls;
        }

        if (purgeProtection == true || (bool?)old?["enablePurgeProtection"] == true)
        {
            result["enablePurgeProtection"] = true;
        }

        return new JsonObject
        {
            ["id"] = (string?)existing?["id"] ?? path,
            ["name"] = (string?)existing?["name"] ?? name,
            ["type"] = VaultLifecycle.VaultType,
            ["location"] = (string?)existing?["location"] ?? location,
            ["tags"] = JsonBody.Tags(body),
            ["properties"] = result,
        };
    }

    /// <summary>
    /// The network ACLs a PUT names, checked as Azure checks them (Allow or Deny; AzureServices or None; IPv4 addresses
    /// or CIDR ranges).
    /// </summary>
    private static JsonObject? NetworkAcls(JsonObject? acls)
    {
        if (acls is null)
        {
            return null;
        }

        var defaultAction = JsonBody.String(acls, "defaultAction") ?? "Allow";
        var bypass = JsonBody.String(acls, "bypass") ?? "AzureServices";
        if (defaultAction is not ("Allow" or "Deny") || bypass is not ("AzureServices" or "None"))
        {
            throw ArmErrors.BadRequest($"Invalid networkAcls: defaultAction '{defaultAction}' must be Allow or Deny and bypass '{bypass}' AzureServices or None.");
        }

        var ipRules = new JsonArray();
        foreach (var rule in JsonBody.Array(acls, "ipRules")?.OfType<JsonObject>() ?? [])
        {
            var value = JsonBody.String(rule, "value") ?? string.Empty;
            if (!System.Net.IPNetwork.TryParse(value.Contains('/', StringComparison.Ordinal) ? value : value + "/32",
                out _))
            {
                throw ArmErrors.BadRequest($"Invalid networkAcls: '{value}' is not a valid IP address or CIDR range.");
            }

            ipRules.Add(new JsonObject { ["value"] = value });
        }

        return new JsonObject
        {
            ["defaultAction"] = defaultAction,
            ["bypass"] = bypass,
            ["ipRules"] = ipRules,
            ["virtualNetworkRules"] = JsonBody.Array(acls, "virtualNetworkRules")?.DeepClone() ?? new JsonArray(),
        };
    }
}
