using System.Text.Json.Nodes;

namespace EdgeKv.Emulator.Arm.Handlers;

/// <summary>
/// A storage account's blob service properties (<c>blobServices/default</c>): soft delete of blobs and containers and
/// versioning, off until set, as on an account created through the API.
/// </summary>
internal static class BlobServiceDocument
{
    private static readonly string[] RetentionPolicies = ["deleteRetentionPolicy", "containerDeleteRetentionPolicy"];

    public static JsonObject Create(string path, JsonObject account) => new()
    {
        ["id"] = path,
        ["name"] = "default",
        ["type"] = "Microsoft.Storage/storageAccounts/blobServices",
        ["sku"] = account["sku"]?.DeepClone(),
        ["properties"] = new JsonObject
        {
            ["deleteRetentionPolicy"] = new JsonObject { ["allowPermanentDelete"] = false, ["enabled"] = false },
            ["containerDeleteRetentionPolicy"] = new JsonObject { ["enabled"] = false },
            ["isVersioningEnabled"] = false,
            ["cors"] = new JsonObject { ["corsRules"] = new JsonArray() },
        },
    };

    /// <summary>Applies the policies a PUT names; a policy turned on needs 1-365 days.</summary>
    public static void Apply(JsonObject service, JsonObject properties)
    {
        var target = service["properties"]!.AsObject();
        foreach (var name in RetentionPolicies)
        {
            if (JsonBody.Object(properties, name) is not { } policy)
            {
                continue;
            }

            var enabled = JsonBody.Bool(policy, "enabled") ?? false;
            var days = JsonBody.Int(policy, "days");
            if (enabled && days is not (>= 1 and <= 365))
            {
                throw new ArmErrorException(400, "InvalidValuesForRequestParameters",
                    $"Values for request parameters are invalid: {name}.days. The value must be between 1 and 365 when the policy is enabled.");
            }

            var stored = new JsonObject { ["enabled"] = enabled };
            if (enabled)
            {
                stored["days"] = days;
            }

            if (name == "deleteRetentionPolicy")
            {
                stored["allowPermanentDelete"] = JsonBody.Bool(policy, "allowPermanentDelete") ?? false;
            }

            target[name] = stored;
        }

        if (JsonBody.Bool(properties, "isVersioningEnabled") is { } versioning)
        {
            target["isVersioningEnabled"] = versioning;
        }
    }
}
