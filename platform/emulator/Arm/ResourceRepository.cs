using System.Text.Json.Nodes;
using EdgeKv.Emulator.Authorization;
using EdgeKv.Emulator.Identity;
using EdgeKv.Emulator.Store;

namespace EdgeKv.Emulator.Arm;

/// <summary>
/// Resource Manager resources in the store, keyed by id, with cascade delete of children and extension resources.
/// </summary>
internal sealed class ResourceRepository(IDocumentStore store, ManagedIdentityRegistry identities)
{
    public Task<JsonObject?> GetAsync(string id, CancellationToken cancellationToken) =>
        store.GetAsync(Collections.Resources, id, cancellationToken);

    public Task PutAsync(JsonObject resource, CancellationToken cancellationToken) =>
        store.PutAsync(Collections.Resources, (string)resource["id"]!, resource, cancellationToken);

    public Task<IReadOnlyList<JsonObject>> ListAsync(string type, CancellationToken cancellationToken) =>
        store.FindAsync(Collections.Resources, "type", type, under: null, cancellationToken);

    public Task<IReadOnlyList<JsonObject>> ListAsync(string type, string scope, CancellationToken cancellationToken) =>
        store.FindAsync(Collections.Resources, "type", type, scope, cancellationToken);

    /// <summary>
    /// The extension resources of the type in the collection <paramref name="collection"/>
    /// (<c>{scope}/providers/{type}</c>): those on the scope itself, not those on resources below it.
    /// </summary>
    public async Task<IEnumerable<JsonObject>> ListInCollectionAsync(string type, string scope, string collection,
        CancellationToken cancellationToken) =>
        (await ListAsync(type, scope, cancellationToken))
            .Where(doc => ((string)doc["id"]!).StartsWith(collection + "/", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The resources of the type at or below each of the scopes (for locks and assignments that apply from above).
    /// </summary>
    public async Task<IReadOnlyList<JsonObject>> ListAtScopesAsync(string type, IEnumerable<string> scopes,
        CancellationToken cancellationToken)
    {
        var result = new List<JsonObject>();
        foreach (var scope in scopes)
        {
            result.AddRange(await store.FindAsync(Collections.Resources, "type", type, scope, cancellationToken));
        }

        return result;
    }

    public async Task<JsonObject?> FindByNameAsync(string type, string name, CancellationToken cancellationToken) =>
        (await store.FindAsync(Collections.Resources, "name", name, under: null, cancellationToken))
            .FirstOrDefault(doc => string.Equals((string?)doc["type"], type, StringComparison.OrdinalIgnoreCase));

    public async Task<bool> ResourceGroupExistsAsync(string subscriptionId, string resourceGroup,
        CancellationToken cancellationToken) =>
        await GetAsync($"/subscriptions/{subscriptionId}/resourceGroups/{resourceGroup}",
            cancellationToken) is not null;

    /// <summary>
    /// Deletes the resource and everything under its id (child and extension resources), and their identities.
    /// </summary>
    public async Task DeleteTreeAsync(string id, CancellationToken cancellationToken)
    {
        foreach (var doc in await store.ListUnderAsync(Collections.Resources, id, cancellationToken))
        {
            var docId = (string)doc["id"]!;
            await store.DeleteAsync(Collections.Resources, docId, cancellationToken);
            if (await identities.FindByResourceAsync(docId, cancellationToken) is { } identity)
            {
                await identities.DeleteAsync(identity.PrincipalId, cancellationToken);
            }
        }
    }
}
