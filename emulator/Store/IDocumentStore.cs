using System.Text.Json.Nodes;

namespace EdgeKv.Emulator.Store;

/// <summary>Persisted emulator state: one JSON document per key, grouped in collections. Keys are case-insensitive.</summary>
public interface IDocumentStore
{
    Task<JsonObject?> GetAsync(string collection, string key, CancellationToken cancellationToken);

    Task<IReadOnlyList<JsonObject>> ListAsync(string collection, CancellationToken cancellationToken);

    Task PutAsync(string collection, string key, JsonObject document, CancellationToken cancellationToken);

    Task<bool> DeleteAsync(string collection, string key, CancellationToken cancellationToken);
}
