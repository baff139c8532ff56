using System.Text.Json.Nodes;

namespace EdgeKv.Emulator.Store;

/// <summary>
/// Persisted emulator state: one JSON document per key, grouped in collections. Keys are case-insensitive paths
/// ('/'-separated, such as resource ids), so a scope's documents are one ordered range; declared fields are indexed
/// so lookups by type or name do not read the whole collection.
/// </summary>
public interface IDocumentStore
{
    Task<JsonObject?> GetAsync(string collection, string key, CancellationToken cancellationToken);

    /// <summary>Every document of the collection, in key order.</summary>
    Task<IReadOnlyList<JsonObject>> ListAsync(string collection, CancellationToken cancellationToken);

    /// <summary>The documents whose key is <paramref name="path"/> or lies below it, in key order.</summary>
    Task<IReadOnlyList<JsonObject>> ListUnderAsync(string collection, string path, CancellationToken cancellationToken);

    /// <summary>
    /// The documents whose indexed top-level string <paramref name="field"/> equals <paramref name="value"/>
    /// (case-insensitive), limited to keys at or below <paramref name="under"/> when given, in key order.
    /// </summary>
    Task<IReadOnlyList<JsonObject>> FindAsync(string collection, string field, string value, string? under,
        CancellationToken cancellationToken);

    Task PutAsync(string collection, string key, JsonObject document, CancellationToken cancellationToken);

    Task<bool> DeleteAsync(string collection, string key, CancellationToken cancellationToken);
}
