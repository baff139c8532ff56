using System.Text.Json.Nodes;
using EdgeKv.Emulator.Arm;
using EdgeKv.Emulator.Store;

namespace EdgeKv.Emulator.KeyVault;

/// <summary>
/// Key Vault keys: create RSA (2048, 3072, 4096), import a JSON Web Key, get, list, list versions, update
/// (<c>key_ops</c>, attributes, tags), delete (soft), get/list deleted, recover, purge. A create or import on an
/// existing name adds a version (rotation); older versions stay listed. Only the public JWK is ever answered.
/// </summary>
internal sealed class KeysApi(VaultObjectStore objects) : IKeyVaultRouteSource
{
    private readonly VaultObjectEndpoints shared = new(objects, new VaultObjectWire(Collections.Keys, "keys", "deletedkeys",
        KeyVaultErrors.KeyNotFound, KeyVaultErrors.DeletedKeyNotFound, KeyWire.Item, KeyWire.Deleted, KeyWire.Bundle));

    public const string Kind = "keys";
    private const string Collection = Collections.Keys;
    private static readonly string[] KnownOperations = ["encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey", "import"];

    public IEnumerable<KeyVaultRoute> Routes =>
    [
        KeyVaultRoute.Create("GET", "/keys", Kind, "list", "KeyList", shared.ListAsync),
        KeyVaultRoute.Create("GET", $"/keys/{KeyVaultRoute.Name}/versions", Kind, "list", "KeyListVersions", shared.ListVersionsAsync),
        KeyVaultRoute.Create("POST", $"/keys/{KeyVaultRoute.Name}/create", Kind, "create", "KeyCreate", CreateAsync),
        KeyVaultRoute.Create("PUT", $"/keys/{KeyVaultRoute.Name}", Kind, "import", "KeyImport", ImportAsync),
        KeyVaultRoute.Create("GET", $"/keys/{KeyVaultRoute.Name}(/{KeyVaultRoute.Version})?", Kind, "get", "KeyGet", GetAsync),
        KeyVaultRoute.Create("PATCH", $"/keys/{KeyVaultRoute.Name}(/{KeyVaultRoute.Version})?", Kind, "update", "KeyUpdate", UpdateAsync),
        KeyVaultRoute.Create("DELETE", $"/keys/{KeyVaultRoute.Name}", Kind, "delete", "KeyDelete", shared.DeleteAsync),
        KeyVaultRoute.Create("GET", "/deletedkeys", Kind, "list", "KeyListDeleted", shared.ListDeletedAsync),
        KeyVaultRoute.Create("GET", $"/deletedkeys/{KeyVaultRoute.Name}", Kind, "get", "KeyGetDeleted", shared.GetDeletedAsync),
        KeyVaultRoute.Create("DELETE", $"/deletedkeys/{KeyVaultRoute.Name}", Kind, "purge", "KeyPurge", shared.PurgeAsync),
        KeyVaultRoute.Create("POST", $"/deletedkeys/{KeyVaultRoute.Name}/recover", Kind, "recover", "KeyRecover", shared.RecoverAsync),
    ];

    /// <summary>The key version addressed by name and (optional) version, live and not deleted.</summary>
    public Task<(JsonObject Doc, JsonObject Version)> FindVersionAsync(KeyVaultRequest request, CancellationToken cancellationToken) =>
        shared.FindVersionAsync(request, cancellationToken);

    private async Task<ArmResponse> CreateAsync(KeyVaultRequest request, CancellationToken cancellationToken)
    {
        var body = await request.ReadBodyAsync(cancellationToken);
        var kty = VaultObjectRules.String(body, "kty") ?? throw KeyVaultErrors.BadParameter("The property 'kty' is required.");
        if (kty is not ("RSA" or "RSA-HSM"))
        {
            throw KeyVaultErrors.BadParameter($"The key type '{kty}' is not supported by this emulator. Supported key types: RSA, RSA-HSM.");
        }

        var size = body["key_size"] switch
        {
            null => 2048,
            JsonValue v when v.TryGetValue<int>(out var n) => n,
            _ => throw KeyVaultErrors.BadParameter("The property 'key_size' must be an integer."),
        };
        if (size is not (2048 or 3072 or 4096))
        {
            throw KeyVaultErrors.BadParameter($"The RSA key size {size} is not supported. Supported sizes: 2048, 3072, 4096.");
        }

        return await AddVersionAsync(request, body, kty, RsaJwk.Generate(size), KeyOps(body["key_ops"]), cancellationToken);
    }

    private async Task<ArmResponse> ImportAsync(KeyVaultRequest request, CancellationToken cancellationToken)
    {
        var body = await request.ReadBodyAsync(cancellationToken);
        var jwk = VaultObjectRules.Object(body, "key") ?? throw KeyVaultErrors.BadParameter("The property 'key' is required.");
        var stored = RsaJwk.FromImport(jwk);
        var hsm = body["hsm"] is JsonValue h && h.TryGetValue<bool>(out var flag) && flag;
        return await AddVersionAsync(request, body, hsm ? "RSA-HSM" : "RSA", stored, KeyOps(jwk["key_ops"]), cancellationToken);
    }

    private async Task<ArmResponse> AddVersionAsync(KeyVaultRequest request, JsonObject body, string kty, JsonObject jwk, JsonArray keyOps, CancellationToken cancellationToken)
    {
        var name = ValidName(request);
        var doc = await objects.GetAsync(Collection, request.VaultName, name, cancellationToken) ?? VaultObjectStore.NewDocument(request.VaultName, name);
        if (doc["deleted"] is not null)
        {
            throw KeyVaultErrors.DeletedButRecoverable("Key", name);
        }

        var version = new JsonObject
        {
            ["version"] = VaultObjectRules.NewVersion(),
            ["kty"] = kty,
            ["keyOps"] = keyOps,
            ["jwk"] = jwk,
            ["tags"] = VaultObjectRules.Tags(body),
            ["enabled"] = true,
            ["created"] = objects.Now,
            ["updated"] = objects.Now,
        };
        VaultObjectRules.ApplyAttributes(VaultObjectRules.Object(body, "attributes"), version);
        doc["versions"]!.AsArray().Add(version);
        await objects.PutAsync(Collection, doc, cancellationToken);
        return ArmResponse.Ok(KeyWire.Bundle(request, doc, version));
    }

    private async Task<ArmResponse> GetAsync(KeyVaultRequest request, CancellationToken cancellationToken)
    {
        var (doc, version) = await FindVersionAsync(request, cancellationToken);
        return ArmResponse.Ok(KeyWire.Bundle(request, doc, version));
    }

    private async Task<ArmResponse> UpdateAsync(KeyVaultRequest request, CancellationToken cancellationToken)
    {
        var (doc, version) = await FindVersionAsync(request, cancellationToken);
        var body = await request.ReadBodyAsync(cancellationToken);
        if (body.ContainsKey("key_ops"))
        {
            version["keyOps"] = KeyOps(body["key_ops"]);
        }

        if (body.ContainsKey("tags"))
        {
            version["tags"] = VaultObjectRules.Tags(body);
        }

        VaultObjectRules.ApplyAttributes(VaultObjectRules.Object(body, "attributes"), version);
        version["updated"] = objects.Now;
        await objects.PutAsync(Collection, doc, cancellationToken);
        return ArmResponse.Ok(KeyWire.Bundle(request, doc, version));
    }

    private static JsonArray KeyOps(JsonNode? node)
    {
        if (node is null)
        {
            return new JsonArray(RsaJwk.AllOperations.Select(o => (JsonNode?)JsonValue.Create(o)).ToArray());
        }

        if (node is not JsonArray array)
        {
            throw KeyVaultErrors.BadParameter("The property 'key_ops' must be an array.");
        }

        var ops = new JsonArray();
        foreach (var item in array)
        {
            var op = item is JsonValue v && v.TryGetValue<string>(out var text)
                ? KnownOperations.FirstOrDefault(k => k.Equals(text, StringComparison.OrdinalIgnoreCase))
                : null;
            ops.Add(op ?? throw KeyVaultErrors.BadParameter($"Invalid key operation: {item?.ToJsonString()}."));
        }

        return ops;
    }

    private static string ValidName(KeyVaultRequest request) => VaultObjectEndpoints.ValidName(request);
}
