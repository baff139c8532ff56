using System.Text;
using System.Text.Json.Nodes;
using EdgeKv.Emulator.Arm;
using EdgeKv.Emulator.Store;

namespace EdgeKv.Emulator.KeyVault;

/// <summary>
/// Key Vault secrets: set (new version), get, list, list versions, update, delete (soft), get/list deleted,
/// recover, purge. Disabled secrets cannot be read; expired and not-yet-valid ones can (as in Azure).
/// </summary>
internal sealed class SecretsApi(VaultObjectStore objects) : IKeyVaultRouteSource
{
    /// <summary>Azure's limit on a secret value: 25 KB.</summary>
    public const int MaxValueBytes = 25 * 1024;

    private const string Kind = "secrets";
    private const string Collection = Collections.Secrets;

    public IEnumerable<KeyVaultRoute> Routes =>
    [
        KeyVaultRoute.Create("GET", "/secrets", Kind, "list", "SecretList", ListAsync),
        KeyVaultRoute.Create("GET", $"/secrets/{KeyVaultRoute.Name}/versions", Kind, "list", "SecretListVersions", ListVersionsAsync),
        KeyVaultRoute.Create("PUT", $"/secrets/{KeyVaultRoute.Name}", Kind, "set", "SecretSet", SetAsync),
        KeyVaultRoute.Create("GET", $"/secrets/{KeyVaultRoute.Name}(/{KeyVaultRoute.Version})?", Kind, "get", "SecretGet", GetAsync),
        KeyVaultRoute.Create("PATCH", $"/secrets/{KeyVaultRoute.Name}(/{KeyVaultRoute.Version})?", Kind, "set", "SecretUpdate", UpdateAsync),
        KeyVaultRoute.Create("DELETE", $"/secrets/{KeyVaultRoute.Name}", Kind, "delete", "SecretDelete", DeleteAsync),
        KeyVaultRoute.Create("GET", "/deletedsecrets", Kind, "list", "SecretListDeleted", ListDeletedAsync),
        KeyVaultRoute.Create("GET", $"/deletedsecrets/{KeyVaultRoute.Name}", Kind, "get", "SecretGetDeleted", GetDeletedAsync),
        KeyVaultRoute.Create("DELETE", $"/deletedsecrets/{KeyVaultRoute.Name}", Kind, "purge", "SecretPurge", PurgeAsync),
        KeyVaultRoute.Create("POST", $"/deletedsecrets/{KeyVaultRoute.Name}/recover", Kind, "recover", "SecretRecover", RecoverAsync),
    ];

    private async Task<ArmResponse> SetAsync(KeyVaultRequest request, CancellationToken cancellationToken)
    {
        var name = ValidName(request);
        var body = await request.ReadBodyAsync(cancellationToken);
        var value = VaultObjectRules.String(body, "value") ?? throw KeyVaultErrors.BadParameter("The property 'value' is required.");
        if (Encoding.UTF8.GetByteCount(value) > MaxValueBytes)
        {
            throw KeyVaultErrors.BadParameter($"The secret value is too large. The maximum size of a secret value is {MaxValueBytes} bytes.");
        }

        var doc = await objects.GetAsync(Collection, request.VaultName, name, cancellationToken) ?? VaultObjectStore.NewDocument(request.VaultName, name);
        if (doc["deleted"] is not null)
        {
            throw KeyVaultErrors.DeletedButRecoverable("Secret", name);
        }

        var version = new JsonObject
        {
            ["version"] = VaultObjectRules.NewVersion(),
            ["value"] = value,
            ["contentType"] = VaultObjectRules.String(body, "contentType"),
            ["tags"] = VaultObjectRules.Tags(body),
            ["enabled"] = true,
            ["created"] = objects.Now,
            ["updated"] = objects.Now,
        };
        VaultObjectRules.ApplyAttributes(VaultObjectRules.Object(body, "attributes"), version);
        doc["versions"]!.AsArray().Add(version);
        await objects.PutAsync(Collection, doc, cancellationToken);
        return ArmResponse.Ok(SecretWire.Bundle(request, doc, version, withValue: true));
    }

    private async Task<ArmResponse> GetAsync(KeyVaultRequest request, CancellationToken cancellationToken)
    {
        var (doc, version) = await FindVersionAsync(request, cancellationToken);
        if ((bool?)version["enabled"] == false)
        {
            throw KeyVaultErrors.SecretDisabled();
        }

        return ArmResponse.Ok(SecretWire.Bundle(request, doc, version, withValue: true));
    }

    private async Task<ArmResponse> UpdateAsync(KeyVaultRequest request, CancellationToken cancellationToken)
    {
        var (doc, version) = await FindVersionAsync(request, cancellationToken);
        var body = await request.ReadBodyAsync(cancellationToken);
        if (body.ContainsKey("contentType"))
        {
            version["contentType"] = VaultObjectRules.String(body, "contentType");
        }

        if (body.ContainsKey("tags"))
        {
            version["tags"] = VaultObjectRules.Tags(body);
        }

        VaultObjectRules.ApplyAttributes(VaultObjectRules.Object(body, "attributes"), version);
        version["updated"] = objects.Now;
        await objects.PutAsync(Collection, doc, cancellationToken);
        return ArmResponse.Ok(SecretWire.Bundle(request, doc, version, withValue: false));
    }

    private async Task<ArmResponse> ListAsync(KeyVaultRequest request, CancellationToken cancellationToken)
    {
        var items = (await objects.ListAsync(Collection, request.VaultName, deleted: false, cancellationToken))
            .Select(doc => (JsonNode)SecretWire.Item(request, doc, VaultObjectStore.Latest(doc)!, withVersion: false)).ToList();
        return ArmResponse.Ok(VaultObjectPaging.Page(request, "secrets", items));
    }

    private async Task<ArmResponse> ListVersionsAsync(KeyVaultRequest request, CancellationToken cancellationToken)
    {
        var name = ValidName(request);
        var doc = await objects.GetAsync(Collection, request.VaultName, name, cancellationToken);
        var items = doc is null || doc["deleted"] is not null
            ? []
            : doc["versions"]!.AsArray().Select(v => (JsonNode)SecretWire.Item(request, doc, v!.AsObject(), withVersion: true)).ToList();
        return ArmResponse.Ok(VaultObjectPaging.Page(request, $"secrets/{name}/versions", items));
    }

    private async Task<ArmResponse> DeleteAsync(KeyVaultRequest request, CancellationToken cancellationToken) =>
        ArmResponse.Ok(SecretWire.Deleted(request, await objects.SoftDeleteAsync(Collection, request.Vault, ValidName(request), KeyVaultErrors.SecretNotFound, cancellationToken), withVersion: true));

    private async Task<ArmResponse> ListDeletedAsync(KeyVaultRequest request, CancellationToken cancellationToken)
    {
        var items = (await objects.ListAsync(Collection, request.VaultName, deleted: true, cancellationToken))
            .Select(doc => (JsonNode)SecretWire.Deleted(request, doc, withVersion: false)).ToList();
        return ArmResponse.Ok(VaultObjectPaging.Page(request, "deletedsecrets", items));
    }

    private async Task<ArmResponse> GetDeletedAsync(KeyVaultRequest request, CancellationToken cancellationToken) =>
        ArmResponse.Ok(SecretWire.Deleted(request, await objects.GetDeletedAsync(Collection, request.Vault, ValidName(request), KeyVaultErrors.DeletedSecretNotFound, cancellationToken), withVersion: true));

    private async Task<ArmResponse> PurgeAsync(KeyVaultRequest request, CancellationToken cancellationToken)
    {
        await objects.PurgeAsync(Collection, request.Vault, ValidName(request), KeyVaultErrors.DeletedSecretNotFound, cancellationToken);
        return ArmResponse.NoContent();
    }

    private async Task<ArmResponse> RecoverAsync(KeyVaultRequest request, CancellationToken cancellationToken)
    {
        JsonObject doc = await objects.RecoverAsync(Collection, request.Vault, ValidName(request), KeyVaultErrors.DeletedSecretNotFound, cancellationToken);
        return ArmResponse.Ok(SecretWire.Bundle(request, doc, VaultObjectStore.Latest(doc)!, withValue: false));
    }

    private async Task<(JsonObject Doc, JsonObject Version)> FindVersionAsync(KeyVaultRequest request, CancellationToken cancellationToken)
    {
        var name = ValidName(request);
        var version = request["version"];
        var doc = await objects.GetAsync(Collection, request.VaultName, name, cancellationToken);
        if (doc is null || doc["deleted"] is not null)
        {
            throw KeyVaultErrors.SecretNotFound(name);
        }

        return (doc, VaultObjectStore.Version(doc, version) ?? throw KeyVaultErrors.SecretNotFound($"{name}/{version}"));
    }

    private static string ValidName(KeyVaultRequest request) =>
        VaultObjectRules.IsValidName(request["name"]) ? request["name"] : throw KeyVaultErrors.InvalidName(request["name"]);
}
