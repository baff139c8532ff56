using System.Text.Json.Nodes;
using EdgeKv.Emulator.Authorization;
using EdgeKv.Emulator.Identity;
using EdgeKv.Emulator.Store;

namespace EdgeKv.Emulator.Arm;

/// <summary>Resource Manager resources in the store, keyed by id, with cascade delete of children and extension resources.</summary>
internal sealed class ResourceRepository(IDocumentStore store, ManagedIdentityRegistry identities)
{
    public Task<JsonObject?> GetAsync(string id, CancellationToken cancellationToken) =>
        store.GetAsync(Collections.Resources, id, cancellationToken);

    public Task PutAsync(JsonObject resource, CancellationToken cancellationToken) =>
        store.PutAsync(Collections.Resources, (string)resource["id"]!, resource, cancellationToken);

    public async Task<IReadOnlyList<JsonObject>> ListAsync(string type, CancellationToken cancellationToken) =>
        (await store.ListAsync(Collections.Resources, cancellationToken))
            .Where(doc => string.Equals((string?)doc["type"], type, StringComparison.OrdinalIgnoreCase))
            .ToList();

    public async Task<IReadOnlyList<JsonObject>> ListAsync(string type, string scope, CancellationToken cancellationToken) =>
        (await ListAsync(type, cancellationToken)).Where(doc => ScopePath.IsAtOrBelow((string)doc["id"]!, scope)).ToList();

    public async Task<JsonObject?> FindByNameAsync(string type, string name, CancellationToken cancellationToken) =>
        (await ListAsync(type, cancellationToken)).FirstOrDefault(doc => string.Equals((string?)doc["name"], name, StringComparison.OrdinalIgnoreCase));

    public async Task<bool> ResourceGroupExistsAsync(string subscriptionId, string resourceGroup, CancellationToken cancellationToken) =>
        await GetAsync($"/subscriptions/{subscriptionId}/resourceGroups/{resourceGroup}", cancellationToken) is not null;

    /// <summary>Deletes the resource and everything under its id (child and extension resources), and their identities.</summary>
    public async Task DeleteTreeAsync(string id, CancellationToken cancellationToken)
    {
        foreach (var doc in await store.ListAsync(Collections.Resources, cancellationToken))
        {
            var docId = (string)doc["id"]!;
            if (ScopePath.IsAtOrBelow(docId, id))
            {
                await store.DeleteAsync(Collections.Resources, docId, cancellationToken);
                if (await identities.FindByResourceAsync(docId, cancellationToken) is { } identity)
                {
                    await identities.DeleteAsync(identity.PrincipalId, cancellationToken);
                }
            }
        }
    }
}
