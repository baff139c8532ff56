using System.Text.Json.Nodes;
using EdgeKv.Emulator.Hosting;
using EdgeKv.Emulator.Store;

namespace EdgeKv.Emulator.KeyVault;

/// <summary>
/// Secrets and keys in the store: one document per object (<c>{vault, name, versions[], deleted?}</c>) keyed by
/// <c>{vault}/{name}</c>. Objects outlive a soft-deleted vault (recovering the vault brings them back) and go with
/// its purge. A deleted object past its scheduled purge date is purged when next read.
/// </summary>
internal sealed class VaultObjectStore(IDocumentStore store, EmulatorClock clock)
{
    public long Now => clock.GetUtcNow().ToUnixTimeSeconds();

    public async Task<JsonObject?> GetAsync(string collection, string vault, string name,
        CancellationToken cancellationToken)
    {
        var doc = await store.GetAsync(collection, Key(vault, name), cancellationToken);
        if (doc?["deleted"] is JsonObject deleted && (long)deleted["scheduledPurgeDate"]! <= Now)
        {
            await store.DeleteAsync(collection, Key(vault, name), cancellationToken);
            return null;
        }

        return doc;
    }

    public async Task<IReadOnlyList<JsonObject>> ListAsync(string collection, string vault, bool deleted,
        CancellationToken cancellationToken)
    {
        var result = new List<JsonObject>();
        foreach (var doc in await store.ListUnderAsync(collection, vault, cancellationToken))
        {
            if (string.Equals((string?)doc["vault"], vault, StringComparison.OrdinalIgnoreCase) &&
                await GetAsync(collection, vault, (string)doc["name"]!,
                    cancellationToken) is { } live && live["deleted"] is not null == deleted)
            {
                result.Add(live);
            }
        }

        return result.OrderBy(d => (string)d["name"]!, StringComparer.OrdinalIgnoreCase).ToList();
    }

    public Task PutAsync(string collection, JsonObject doc, CancellationToken cancellationToken) =>
        store.PutAsync(collection, Key((string)doc["vault"]!, (string)doc["name"]!), doc, cancellationToken);

    public Task DeleteAsync(string collection, string vault, string name, CancellationToken cancellationToken) =>
        store.DeleteAsync(collection, Key(vault, name), cancellationToken);

    /// <summary>Destroys every secret and key of a vault (the vault was purged).</summary>
    public async Task DeleteVaultAsync(string vault, CancellationToken cancellationToken)
    {
        foreach (var collection in new[] { Collections.Secrets, Collections.Keys })
        {
            foreach (var doc in await store.ListUnderAsync(collection, vault, cancellationToken))
            {
                if (string.Equals((string?)doc["vault"], vault, StringComparison.OrdinalIgnoreCase))
                {
                    await store.DeleteAsync(collection, Key(vault, (string)doc["name"]!), cancellationToken);
                }
            }
        }
    }

    public static JsonObject NewDocument(string vault, string name) => new() { ["vault"] = vault.ToLowerInvariant(),
        ["name"] = name, ["versions"] = new JsonArray() };

    public static JsonObject? Latest(JsonObject doc) => doc["versions"]!.AsArray().LastOrDefault()?.AsObject();

    public static JsonObject? Version(JsonObject doc, string version) =>
        string.IsNullOrEmpty(version) ? Latest(doc) :
        doc["versions"]!.AsArray().FirstOrDefault(v => string.Equals((string?)v!["version"], version,
            StringComparison.OrdinalIgnoreCase))?.AsObject();

    /// <summary>Marks the object deleted for the vault's retention.</summary>
    public void MarkDeleted(JsonObject doc, JsonObject vault) => doc["deleted"] = new JsonObject
    {
        ["deletedDate"] = Now,
        ["scheduledPurgeDate"] = Now + ((long)VaultObjectRules.RetentionDays(vault) * 86400),
    };

    // The soft-delete lifecycle secrets and keys share; each API maps the documents to its own wire shape and errors.

    /// <summary>
    /// Soft-deletes the active object <paramref name="name"/>; <paramref name="notFound"/> when there is none.
    /// </summary>
    public async Task<JsonObject> SoftDeleteAsync(string collection, JsonObject vault, string name,
        Func<string, Exception> notFound, CancellationToken cancellationToken)
    {
        JsonObject? doc = await GetAsync(collection, (string)vault["name"]!, name, cancellationToken);
        if (doc is null || doc["deleted"] is not null) throw notFound(name);
        MarkDeleted(doc, vault);
        await PutAsync(collection, doc, cancellationToken);
        return doc;
    }

    /// <summary>
    /// The soft-deleted object <paramref name="name"/>; <paramref name="notFound"/> when none is deleted.
    /// </summary>
    public async Task<JsonObject> GetDeletedAsync(string collection, JsonObject vault, string name,
        Func<string, Exception> notFound, CancellationToken cancellationToken)
    {
        JsonObject? doc = await GetAsync(collection, (string)vault["name"]!, name, cancellationToken);
        return doc?["deleted"] is not null ? doc : throw notFound(name);
    }

    /// <summary>Purges a soft-deleted object, refused while the vault has purge protection.</summary>
    public async Task PurgeAsync(string collection, JsonObject vault, string name, Func<string, Exception> notFound,
        CancellationToken cancellationToken)
    {
        JsonObject doc = await GetDeletedAsync(collection, vault, name, notFound, cancellationToken);
        if (VaultObjectRules.PurgeProtected(vault)) throw KeyVaultErrors.PurgeProtected();
        await DeleteAsync(collection, (string)vault["name"]!, (string)doc["name"]!, cancellationToken);
    }

    /// <summary>Recovers a soft-deleted object with all its versions.</summary>
    public async Task<JsonObject> RecoverAsync(string collection, JsonObject vault, string name,
        Func<string, Exception> notFound, CancellationToken cancellationToken)
    {
        JsonObject doc = await GetDeletedAsync(collection, vault, name, notFound, cancellationToken);
        doc.Remove("deleted");
        await PutAsync(collection, doc, cancellationToken);
        return doc;
    }

    private static string Key(string vault, string name) => $"{vault}/{name}".ToLowerInvariant();
}
