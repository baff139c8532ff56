using System.Text.Json.Nodes;
using EdgeKv.Emulator.Arm;

namespace EdgeKv.Emulator.KeyVault;

/// <summary>
/// How one kind of vault object (secrets, keys) is named on the wire: its noun (<c>Key</c>, <c>Secret</c>, as audit
/// operation names and errors say it), its collection and paths, its not-found errors, and how a document becomes a
/// list item, a deleted item or a bundle.
/// </summary>
internal sealed record VaultObjectWire(
    string Noun,
    string Collection,
    string Path,
    string DeletedPath,
    Func<string, ArmErrorException> NotFound,
    Func<string, ArmErrorException> DeletedNotFound,
    Func<KeyVaultRequest, JsonObject, JsonObject, bool, JsonObject> Item,
    Func<KeyVaultRequest, JsonObject, bool, JsonObject> Deleted,
    Func<KeyVaultRequest, JsonObject, JsonObject, JsonObject> Bundle);

/// <summary>
/// The operations secrets and keys share, once: list, list versions, find a version, soft-delete, list and get
/// deleted, purge, recover, with their routes; and what adding a version or updating one always does. Each API keeps
/// its own create, get and update, where their shapes differ.
/// </summary>
internal sealed class VaultObjectEndpoints(VaultObjectStore objects, VaultObjectWire wire)
{
    /// <summary>
    /// The routes of the shared operations, with the audit operation names Key Vault gives them (<c>KeyList</c>,
    /// <c>SecretPurge</c>). Listing versions comes before any route of a single version, which would read
    /// <c>versions</c> as a version.
    /// </summary>
    public IEnumerable<KeyVaultRoute> Routes
    {
        get
        {
            var kind = wire.Path;
            var item = $"/{wire.Path}/{KeyVaultRoute.Name}";
            var deleted = $"/{wire.DeletedPath}/{KeyVaultRoute.Name}";
            yield return KeyVaultRoute.Create("GET", "/" + wire.Path, kind, "list", wire.Noun + "List", ListAsync);
            yield return KeyVaultRoute.Create("GET", item + "/versions", kind, "list", wire.Noun + "ListVersions",
                ListVersionsAsync);
            yield return KeyVaultRoute.Create("DELETE", item, kind, "delete", wire.Noun + "Delete", DeleteAsync);
            yield return KeyVaultRoute.Create("GET", "/" + wire.DeletedPath, kind, "list", wire.Noun + "ListDeleted",
                ListDeletedAsync);
            yield return KeyVaultRoute.Create("GET", deleted, kind, "get", wire.Noun + "GetDeleted", GetDeletedAsync);
            yield return KeyVaultRoute.Create("DELETE", deleted, kind, "purge", wire.Noun + "Purge", PurgeAsync);
            yield return KeyVaultRoute.Create("POST", deleted + "/recover", kind, "recover", wire.Noun + "Recover",
                RecoverAsync);
        }
    }

    public async Task<ArmResponse> ListAsync(KeyVaultRequest request, CancellationToken cancellationToken)
    {
        var items = (await objects.ListAsync(wire.Collection, request.VaultName, deleted: false, cancellationToken))
            .Select(doc => (JsonNode)wire.Item(request, doc, VaultObjectStore.Latest(doc)!, false)).ToList();
        return ArmResponse.Ok(VaultObjectPaging.Page(request, wire.Path, items));
    }

    public async Task<ArmResponse> ListVersionsAsync(KeyVaultRequest request, CancellationToken cancellationToken)
    {
        var name = ValidName(request);
        var doc = await objects.GetAsync(wire.Collection, request.VaultName, name, cancellationToken);
        var items = doc is null || doc["deleted"] is not null
            ? []
            : doc["versions"]!.AsArray().Select(v => (JsonNode)wire.Item(request, doc, v!.AsObject(), true)).ToList();
        return ArmResponse.Ok(VaultObjectPaging.Page(request, $"{wire.Path}/{name}/versions", items));
    }

    /// <summary>The version addressed by name and (optional) version, live and not deleted.</summary>
    public async Task<(JsonObject Doc, JsonObject Version)> FindVersionAsync(KeyVaultRequest request,
        CancellationToken cancellationToken)
    {
        var name = ValidName(request);
        var version = request["version"];
        var doc = await objects.GetAsync(wire.Collection, request.VaultName, name, cancellationToken);
        if (doc is null || doc["deleted"] is not null)
        {
            throw wire.NotFound(name);
        }

        return (doc, VaultObjectStore.Version(doc, version) ?? throw wire.NotFound($"{name}/{version}"));
    }

    public async Task<ArmResponse> DeleteAsync(KeyVaultRequest request, CancellationToken cancellationToken) =>
        ArmResponse.Ok(wire.Deleted(request,
            await objects.SoftDeleteAsync(wire.Collection, request.Vault, ValidName(request), wire.NotFound,
                cancellationToken), true));

    public async Task<ArmResponse> ListDeletedAsync(KeyVaultRequest request, CancellationToken cancellationToken)
    {
        var items = (await objects.ListAsync(wire.Collection, request.VaultName, deleted: true, cancellationToken))
            .Select(doc => (JsonNode)wire.Deleted(request, doc, false)).ToList();
        return ArmResponse.Ok(VaultObjectPaging.Page(request, wire.DeletedPath, items));
    }

    public async Task<ArmResponse> GetDeletedAsync(KeyVaultRequest request, CancellationToken cancellationToken) =>
        ArmResponse.Ok(wire.Deleted(request,
            await objects.GetDeletedAsync(wire.Collection, request.Vault, ValidName(request), wire.DeletedNotFound,
                cancellationToken), true));

    public async Task<ArmResponse> PurgeAsync(KeyVaultRequest request, CancellationToken cancellationToken)
    {
        await objects.PurgeAsync(wire.Collection, request.Vault, ValidName(request), wire.DeletedNotFound,
            cancellationToken);
        return ArmResponse.NoContent();
    }

    public async Task<ArmResponse> RecoverAsync(KeyVaultRequest request, CancellationToken cancellationToken)
    {
        JsonObject doc = await objects.RecoverAsync(wire.Collection, request.Vault, ValidName(request),
            wire.DeletedNotFound, cancellationToken);
        return ArmResponse.Ok(wire.Bundle(request, doc, VaultObjectStore.Latest(doc)!));
    }

    /// <summary>
    /// The object's document to add a version to (a new one for a new name); a deleted object is refused until it is
    /// recovered or purged, as in Azure.
    /// </summary>
    public async Task<JsonObject> DocumentForNewVersionAsync(KeyVaultRequest request, string name,
        CancellationToken cancellationToken)
    {
        var doc = await objects.GetAsync(wire.Collection, request.VaultName, name,
            cancellationToken) ?? VaultObjectStore.NewDocument(request.VaultName, name);
        return doc["deleted"] is null ? doc : throw KeyVaultErrors.DeletedButRecoverable(wire.Noun, name);
    }

    /// <summary>
    /// Adds the version (its kind's own fields already set) with what every version has (tags, enabled, created,
    /// updated, the body's attributes) and saves the document.
    /// </summary>
    public async Task AddVersionAsync(JsonObject doc, JsonObject version, JsonObject body,
        CancellationToken cancellationToken)
    {
        version["tags"] = VaultObjectRules.Tags(body);
        version["enabled"] = true;
        version["created"] = objects.Now;
        version["updated"] = objects.Now;
        VaultObjectRules.ApplyAttributes(VaultObjectRules.Object(body, "attributes"), version);
        doc["versions"]!.AsArray().Add(version);
        await objects.PutAsync(wire.Collection, doc, cancellationToken);
    }

    /// <summary>
    /// Applies what every update may change (tags, attributes) after the kind's own fields, and saves the document.
    /// </summary>
    public async Task UpdateVersionAsync(JsonObject doc, JsonObject version, JsonObject body,
        CancellationToken cancellationToken)
    {
        if (body.ContainsKey("tags"))
        {
            version["tags"] = VaultObjectRules.Tags(body);
        }

        VaultObjectRules.ApplyAttributes(VaultObjectRules.Object(body, "attributes"), version);
        version["updated"] = objects.Now;
        await objects.PutAsync(wire.Collection, doc, cancellationToken);
    }

    public static string ValidName(KeyVaultRequest request) =>
        VaultObjectRules.IsValidName(request["name"]) ? request["name"] : throw KeyVaultErrors.InvalidName(request["name"]);
}
