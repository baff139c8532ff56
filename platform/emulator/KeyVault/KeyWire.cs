using System.Text.Json.Nodes;

namespace EdgeKv.Emulator.KeyVault;

/// <summary>
/// Maps stored keys to the wire: <c>KeyBundle</c> (public JWK only), <c>KeyItem</c>, <c>DeletedKeyBundle</c>,
/// <c>DeletedKeyItem</c>.
/// </summary>
internal static class KeyWire
{
    public static string Kid(KeyVaultRequest request, JsonObject doc, JsonObject version) => $"{request.ObjectBase}/keys/{doc["name"]}/{version["version"]}";

    public static JsonObject Bundle(KeyVaultRequest request, JsonObject doc, JsonObject version)
    {
        var bundle = new JsonObject
        {
            ["key"] = KeyTypeRules.PublicJwk(Kid(request, doc, version), (string)version["kty"]!,
                version["jwk"]!.AsObject(), version["keyOps"]!.AsArray()),
            ["attributes"] = VaultObjectRules.Attributes(version, request.Vault),
        };
        if (version["tags"] is JsonObject tags)
        {
            bundle["tags"] = tags.DeepClone();
        }

        return bundle;
    }

    public static JsonObject Item(KeyVaultRequest request, JsonObject doc, JsonObject version, bool withVersion)
    {
        var item = new JsonObject
        {
            ["kid"] = withVersion ? Kid(request, doc, version) : $"{request.ObjectBase}/keys/{doc["name"]}",
            ["attributes"] = VaultObjectRules.Attributes(version, request.Vault),
        };
        if (version["tags"] is JsonObject tags)
        {
            item["tags"] = tags.DeepClone();
        }

        return item;
    }

    public static JsonObject Deleted(KeyVaultRequest request, JsonObject doc, bool full)
    {
        var latest = VaultObjectStore.Latest(doc)!;
        var deleted = full ? Bundle(request, doc, latest) : Item(request, doc, latest, withVersion: false);
        deleted["recoveryId"] = $"{request.ObjectBase}/deletedkeys/{doc["name"]}";
        deleted["deletedDate"] = (long)doc["deleted"]!["deletedDate"]!;
        deleted["scheduledPurgeDate"] = (long)doc["deleted"]!["scheduledPurgeDate"]!;
        return deleted;
    }
}
