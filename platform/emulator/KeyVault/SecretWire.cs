using System.Text.Json.Nodes;

namespace EdgeKv.Emulator.KeyVault;

/// <summary>
/// Maps stored secrets to the wire: <c>SecretBundle</c>, <c>SecretItem</c>, <c>DeletedSecretBundle</c>,
/// <c>DeletedSecretItem</c>.
/// </summary>
internal static class SecretWire
{
    public static JsonObject Bundle(KeyVaultRequest request, JsonObject doc, JsonObject version, bool withValue)
    {
        var bundle = Item(request, doc, version, withVersion: true);
        if (withValue)
        {
            bundle["value"] = (string?)version["value"];
        }

        return bundle;
    }

    public static JsonObject Item(KeyVaultRequest request, JsonObject doc, JsonObject version, bool withVersion)
    {
        var id = $"{request.ObjectBase}/secrets/{doc["name"]}" + (withVersion ? $"/{version["version"]}" : string.Empty);
        var item = new JsonObject { ["id"] = id };
        if (version["contentType"] is not null)
        {
            item["contentType"] = (string?)version["contentType"];
        }

        item["attributes"] = VaultObjectRules.Attributes(version, request.Vault);
        if (version["tags"] is JsonObject tags)
        {
            item["tags"] = tags.DeepClone();
        }

        return item;
    }

    public static JsonObject Deleted(KeyVaultRequest request, JsonObject doc, bool withVersion)
    {
        var latest = VaultObjectStore.Latest(doc)!;
        var deleted = Item(request, doc, latest, withVersion);
        deleted["recoveryId"] = $"{request.ObjectBase}/deletedsecrets/{doc["name"]}";
        deleted["deletedDate"] = (long)doc["deleted"]!["deletedDate"]!;
        deleted["scheduledPurgeDate"] = (long)doc["deleted"]!["scheduledPurgeDate"]!;
        return deleted;
    }
}
