using System.Text.Json.Nodes;

namespace EdgeKv.Emulator.Arm.Handlers;

/// <summary>The stored and wire document of a storage account (2023-05-01 shape).</summary>
internal static class StorageAccountDocument
{
    /// <summary>The security properties a PATCH may change, as Azure takes them.</summary>
    public static readonly string[] Patchable = ["allowSharedKeyAccess", "allowBlobPublicAccess", "minimumTlsVersion",
        "supportsHttpsTrafficOnly"];

    public static JsonObject Create(string path, string name, string location, string sku, string kind, JsonObject tags,
        JsonObject properties,
        JsonObject? existing, Uri endpoint, DateTimeOffset now) =>
        new()
        {
            ["id"] = path,
            ["name"] = name,
            ["type"] = "Microsoft.Storage/storageAccounts",
            ["location"] = (string?)existing?["location"] ?? location,
            ["tags"] = tags,
            ["sku"] = new JsonObject { ["name"] = sku,
                ["tier"] = sku.StartsWith("Premium", StringComparison.Ordinal) ? "Premium" : "Standard" },
            ["kind"] = kind,
            ["properties"] = new JsonObject
            {
                ["provisioningState"] = (string?)existing?["properties"]?["provisioningState"] ?? "Creating",
                ["creationTime"] = (string?)existing?["properties"]?["creationTime"] ?? now.ToString("O"),
                ["primaryLocation"] = location,
                ["statusOfPrimary"] = "available",
                ["supportsHttpsTrafficOnly"] = JsonBody.Bool(properties, "supportsHttpsTrafficOnly") ?? true,
                ["minimumTlsVersion"] = JsonBody.String(properties, "minimumTlsVersion") ?? "TLS1_2",
                ["allowBlobPublicAccess"] = JsonBody.Bool(properties, "allowBlobPublicAccess") ?? false,
                ["accessTier"] = JsonBody.String(properties, "accessTier") ?? "Hot",
                // Azure leaves it out until it is set; absent means allowed.
                ["allowSharedKeyAccess"] = JsonBody.Bool(properties,
                    "allowSharedKeyAccess") is { } sharedKey ? sharedKey : null,
                ["primaryEndpoints"] = new JsonObject
                {
                    ["blob"] = $"{endpoint.AbsoluteUri}storage/{name}/blob/",
                    ["queue"] = $"{endpoint.AbsoluteUri}storage/{name}/queue/",
                    ["table"] = $"{endpoint.AbsoluteUri}storage/{name}/table/",
                    ["file"] = $"{endpoint.AbsoluteUri}storage/{name}/file/",
                },
            },
        };
}
