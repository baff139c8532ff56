using System.Text.Json.Nodes;
using EdgeKv.Emulator.Arm;
using EdgeKv.Emulator.Store;

namespace EdgeKv.Emulator.KeyVault;

/// <summary>
/// Key Vault keys: create RSA (2048, 3072, 4096) and EC (P-256, P-384, P-521), software or HSM-protected (premium
/// vaults only), import a JSON Web Key or a Bring Your Own Key transfer blob, get, list, list versions, update
/// (<c>key_ops</c>, attributes, tags), delete (soft), get/list deleted, recover, purge. A create or import on an
/// existing name adds a version (rotation); older versions stay listed. Only the public JWK is ever answered.
/// </summary>
internal sealed class KeysApi(VaultObjectStore objects) : IKeyVaultRouteSource
{
    private readonly ByokImport byok = new(objects);
    private readonly VaultObjectEndpoints shared = new(objects,
        new VaultObjectWire("Key", Collections.Keys, "keys", "deletedkeys",
        KeyVaultErrors.KeyNotFound, KeyVaultErrors.DeletedKeyNotFound, KeyWire.Item, KeyWire.Deleted, KeyWire.Bundle));

    public const string Kind = "keys";

    public IEnumerable<KeyVaultRoute> Routes =>
    [
        .. shared.Routes,
        KeyVaultRoute.Create("POST", $"/keys/{KeyVaultRoute.Name}/create", Kind, "create", "KeyCreate", CreateAsync),
        KeyVaultRoute.Create("PUT", $"/keys/{KeyVaultRoute.Name}", Kind, "import", "KeyImport", ImportAsync),
        KeyVaultRoute.Create("GET", $"/keys/{KeyVaultRoute.Name}(/{KeyVaultRoute.Version})?", Kind, "get", "KeyGet",
            GetAsync),
        KeyVaultRoute.Create("PATCH", $"/keys/{KeyVaultRoute.Name}(/{KeyVaultRoute.Version})?", Kind, "update",
            "KeyUpdate", UpdateAsync),
    ];

    /// <summary>The key version addressed by name and (optional) version, live and not deleted.</summary>
    public Task<(JsonObject Doc, JsonObject Version)> FindVersionAsync(KeyVaultRequest request,
        CancellationToken cancellationToken) =>
        shared.FindVersionAsync(request, cancellationToken);

    private async Task<ArmResponse> CreateAsync(KeyVaultRequest request, CancellationToken cancellationToken)
    {
        var body = await request.ReadBodyAsync(cancellationToken);
        var kty = VaultObjectRules.String(body,
            "kty") ?? throw KeyVaultErrors.BadParameter("The property 'kty' is required.");
        if (kty is not ("RSA" or "RSA-HSM" or "EC" or "EC-HSM"))
        {
            throw KeyVaultErrors.BadParameter($"The key type '{kty}' is not supported in a vault. Supported key types: RSA, RSA-HSM, EC, EC-HSM.");
        }

        KeyTypeRules.CheckVaultSku(kty, request.Vault);
        var keyOps = KeyTypeRules.KeyOps(body["key_ops"], kty);
        if (KeyTypeRules.IsEc(kty))
        {
            var curve = VaultObjectRules.String(body, "crv") ?? "P-256";
            EcJwk.CheckCurve(curve);
            return await AddVersionAsync(request, body, kty, EcJwk.Generate(curve), keyOps, cancellationToken);
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

        return await AddVersionAsync(request, body, kty, RsaJwk.Generate(size), keyOps, cancellationToken);
    }

    /// <summary>
    /// Imports a JWK with its private part (RSA, EC; <c>hsm: true</c> or an -HSM <c>kty</c> makes an HSM key), or a
    /// Bring Your Own Key transfer blob in <c>key_hsm</c> (<c>kty</c> RSA-HSM or EC-HSM), unwrapped with the vault's
    /// Key Exchange Key.
    /// </summary>
    private async Task<ArmResponse> ImportAsync(KeyVaultRequest request, CancellationToken cancellationToken)
    {
        var body = await request.ReadBodyAsync(cancellationToken);
        var jwk = VaultObjectRules.Object(body,
            "key") ?? throw KeyVaultErrors.BadParameter("The property 'key' is required.");
        var jwkType = VaultObjectRules.String(jwk,
            "kty") ?? throw KeyVaultErrors.BadParameter("The JSON Web Key property 'kty' is required.");
        if (jwkType is not ("RSA" or "RSA-HSM" or "EC" or "EC-HSM"))
        {
            throw KeyVaultErrors.BadParameter($"The key type '{jwkType}' is not supported in a vault. Supported key types: RSA, RSA-HSM, EC, EC-HSM.");
        }

        var hsm = body["hsm"] switch
        {
            null => false,
            JsonValue h when h.TryGetValue<bool>(out var flag) => flag,
            _ => throw KeyVaultErrors.BadParameter("The property 'hsm' must be a boolean."),
        };
        var family = KeyTypeRules.IsEc(jwkType) ? "EC" : "RSA";
        var kty = hsm || KeyTypeRules.IsHsm(jwkType) ? family + "-HSM" : family;
        KeyTypeRules.CheckVaultSku(kty, request.Vault);
        var keyOps = KeyTypeRules.KeyOps(jwk["key_ops"], kty);
        JsonObject stored;
        if (jwk.ContainsKey("key_hsm"))
        {
            if (!KeyTypeRules.IsHsm(jwkType))
            {
                throw KeyVaultErrors.BadParameter("A key transfer blob ('key_hsm') is imported with the key type RSA-HSM or EC-HSM.");
            }

            stored = await byok.UnwrapAsync(request, jwk, jwkType, cancellationToken);
        }
        else
        {
            stored = family == "EC" ? EcJwk.FromImport(jwk) : RsaJwk.FromImport(jwk);
        }

        return await AddVersionAsync(request, body, kty, stored, keyOps, cancellationToken);
    }

    private async Task<ArmResponse> AddVersionAsync(KeyVaultRequest request, JsonObject body, string kty,
        JsonObject jwk, JsonArray keyOps, CancellationToken cancellationToken)
    {
        var doc = await shared.DocumentForNewVersionAsync(request, ValidName(request), cancellationToken);
        var version = new JsonObject
        {
            ["version"] = VaultObjectRules.NewVersion(),
            ["kty"] = kty,
            ["keyOps"] = keyOps,
            ["jwk"] = jwk,
        };
        await shared.AddVersionAsync(doc, version, body, cancellationToken);
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
            version["keyOps"] = KeyTypeRules.KeyOps(body["key_ops"], (string)version["kty"]!);
        }

        await shared.UpdateVersionAsync(doc, version, body, cancellationToken);
        return ArmResponse.Ok(KeyWire.Bundle(request, doc, version));
    }

    private static string ValidName(KeyVaultRequest request) => VaultObjectEndpoints.ValidName(request);
}
