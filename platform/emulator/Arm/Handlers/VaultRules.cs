using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace EdgeKv.Emulator.Arm.Handlers;

/// <summary>Key Vault's validation rules for names, SKUs and access policies.</summary>
internal static partial class VaultRules
{
    public const int MaxAccessPolicies = 1024;

    private static readonly Dictionary<string, HashSet<string>> Permissions = new(StringComparer.OrdinalIgnoreCase)
    {
        ["keys"] = Set("all", "encrypt", "decrypt", "wrapKey", "unwrapKey", "sign", "verify", "get", "list", "create",
            "update", "import",
            "delete", "backup", "restore", "recover", "purge", "release", "rotate", "getrotationpolicy",
            "setrotationpolicy"),
        ["secrets"] = Set("all", "get", "list", "set", "delete", "backup", "restore", "recover", "purge"),
        ["certificates"] = Set("all", "get", "list", "delete", "create", "import", "update", "managecontacts",
            "getissuers", "listissuers",
            "setissuers", "deleteissuers", "manageissuers", "recover", "purge", "backup", "restore"),
        ["storage"] = Set("all", "get", "list", "delete", "set", "update", "regeneratekey", "recover", "purge",
            "backup", "restore",
            "setsas", "listsas", "getsas", "deletesas"),
    };

    [GeneratedRegex("^[a-zA-Z](?:[a-zA-Z0-9]|-(?=[a-zA-Z0-9]))*$")]
    private static partial Regex NamePattern();

    public static bool IsValidName(string name) => name.Length is >= 3 and <= 24 && NamePattern().IsMatch(name);

    public static JsonObject ReadSku(JsonObject? sku)
    {
        var name = JsonBody.String(sku, "name") ?? throw ArmErrors.BadRequest("The parameter 'sku' is required.");
        if (!name.Equals("standard", StringComparison.OrdinalIgnoreCase) && !name.Equals("premium",
            StringComparison.OrdinalIgnoreCase))
        {
            throw ArmErrors.BadRequest($"The sku name '{name}' is invalid. The supported values are 'standard' and 'premium'.");
        }

        var family = JsonBody.String(sku, "family") ?? "A";
        if (!family.Equals("A", StringComparison.Ordinal))
        {
            throw ArmErrors.BadRequest($"The sku family '{family}' is invalid. The supported value is 'A'.");
        }

        return new JsonObject { ["family"] = "A", ["name"] = name.ToLowerInvariant() };
    }

    public static Guid ReadTenant(JsonObject properties) =>
        Guid.TryParse(JsonBody.String(properties, "tenantId"), out var tenant)
            ? tenant
            : throw ArmErrors.BadRequest("The parameter 'tenantId' is required and must be a GUID.");

    /// <summary>Validates an <c>accessPolicies</c> array and returns a clean copy.</summary>
    public static JsonArray ReadAccessPolicies(JsonArray policies)
    {
        var result = new JsonArray();
        foreach (var node in policies)
        {
            if (node is not JsonObject entry)
            {
                throw ArmErrors.InvalidRequestContent("Each access policy must be an object");
            }

            if (!Guid.TryParse(JsonBody.String(entry, "tenantId"), out var tenant))
            {
                throw ArmErrors.BadRequest("An access policy entry is missing a valid 'tenantId'.");
            }

            var objectId = JsonBody.String(entry, "objectId");
            if (string.IsNullOrWhiteSpace(objectId))
            {
                throw ArmErrors.BadRequest("An access policy entry is missing 'objectId'.");
            }

            var permissions = JsonBody.Object(entry,
                "permissions") ?? throw ArmErrors.BadRequest("An access policy entry is missing 'permissions'.");
            var cleanPermissions = new JsonObject();
            foreach (var (kind, value) in permissions)
            {
                if (!Permissions.TryGetValue(kind, out var allowed))
                {
                    throw ArmErrors.BadRequest($"The permission kind '{kind}' is invalid.");
                }

                var list = value as JsonArray ?? throw ArmErrors.InvalidRequestContent($"The permissions '{kind}' must be an array");
                var clean = new JsonArray();
                foreach (var permission in list)
                {
                    var text = permission is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw ArmErrors.InvalidRequestContent($"The permissions '{kind}' must be strings");
                    if (!allowed.Contains(text))
                    {
                        throw ArmErrors.BadRequest($"The permission '{text}' is not valid for '{kind}'.");
                    }

                    clean.Add(text);
                }

                cleanPermissions[Permissions.Keys.First(k => k.Equals(kind,
                    StringComparison.OrdinalIgnoreCase))] = clean;
            }

            var cleanEntry = new JsonObject { ["tenantId"] = tenant.ToString(), ["objectId"] = objectId,
                ["permissions"] = cleanPermissions };
            if (JsonBody.String(entry, "applicationId") is { } applicationId)
            {
                cleanEntry["applicationId"] = applicationId;
            }

            result.Add(cleanEntry);
        }

        if (result.Count > MaxAccessPolicies)
        {
            throw ArmErrors.AccessPolicyLimitExceeded(result.Count);
        }

        return result;
    }

    public static bool SameEntry(JsonNode? a, JsonNode? b) =>
        string.Equals((string?)a?["tenantId"], (string?)b?["tenantId"], StringComparison.OrdinalIgnoreCase) &&
        string.Equals((string?)a?["objectId"], (string?)b?["objectId"], StringComparison.OrdinalIgnoreCase) &&
        string.Equals((string?)a?["applicationId"], (string?)b?["applicationId"], StringComparison.OrdinalIgnoreCase);

    private static HashSet<string> Set(params string[] values) => new(values, StringComparer.OrdinalIgnoreCase);
}
