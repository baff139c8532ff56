using System.Text.Json.Nodes;
using EdgeKv.Emulator.Arm;

namespace EdgeKv.Emulator.KeyVault;

/// <summary>
/// How one kind of vault object (secrets, keys) is named on the wire: its collection and paths, its not-found errors,
/// and how a document becomes a list item, a deleted item or a bundle.
/// </summary>
internal sealed record VaultObjectWire(
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
/// deleted, purge, recover. Each API keeps its own create, get and update, where their shapes differ.
/// </summary>
internal sealed class VaultObjectEndpoints(VaultObjectStore objects, VaultObjectWire wire)
{
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

    public static string ValidName(KeyVaultRequest request) =>
        VaultObjectRules.IsValidName(request["name"]) ? request["name"] : throw KeyVaultErrors.InvalidName(request["name"]);
}
