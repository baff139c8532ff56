using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace EdgeKv.Emulator.Store;

/// <summary>
/// SQLite-backed document store: a table of (collection, key, json), with every document also held in memory
/// (<see cref="DocumentCollection"/>: ordered keys and field indexes), so reads never touch the disk and a scope or
/// an index value costs what it returns, not the size of the collection. Every write goes to the database first, so
/// state survives a restart; WAL with <c>synchronous=NORMAL</c> keeps it across a killed process without an fsync
/// per write.
/// </summary>
internal sealed class SqliteDocumentStore : IDocumentStore, IAsyncDisposable
{
    private readonly SqliteConnection connection;
    private readonly SemaphoreSlim writeLock = new(1, 1);
    private readonly IReadOnlyDictionary<string, IReadOnlyList<string>> indexedFields;
    private readonly ConcurrentDictionary<string, DocumentCollection> collections = new(StringComparer.Ordinal);

    private SqliteDocumentStore(SqliteConnection connection,
        IReadOnlyDictionary<string, IReadOnlyList<string>> indexedFields)
    {
        this.connection = connection;
        this.indexedFields = indexedFields;
    }

    public static Task<SqliteDocumentStore> OpenAsync(string path, CancellationToken cancellationToken) =>
        OpenAsync(path, Collections.IndexedFields, cancellationToken);

    public static async Task<SqliteDocumentStore> OpenAsync(string path,
        IReadOnlyDictionary<string, IReadOnlyList<string>> indexedFields,
        CancellationToken cancellationToken)
    {
        Hosting.OwnerOnlyFile.PrepareDatabase(path);
        var builder = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false };
        var connection = new SqliteConnection(builder.ToString());
        await connection.OpenAsync(cancellationToken);
        var store = new SqliteDocumentStore(connection, indexedFields);
        await using (var create = connection.CreateCommand())
        {
            create.CommandText = """
                PRAGMA journal_mode=WAL;
                PRAGMA synchronous=NORMAL;
                CREATE TABLE IF NOT EXISTS documents (
                    collection TEXT NOT NULL, key TEXT NOT NULL, json TEXT NOT NULL,
                    PRIMARY KEY (collection, key));
                """;
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var load = connection.CreateCommand())
        {
            load.CommandText = "SELECT collection, key, json FROM documents";
            await using var reader = await load.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var collection = store.Collection(reader.GetString(0));
                var json = reader.GetString(2);
                collection.Put(reader.GetString(1), json, IndexValues(collection, JsonNode.Parse(json)!.AsObject()));
            }
        }

        return store;
    }

    public Task<JsonObject?> GetAsync(string collection, string key, CancellationToken cancellationToken) =>
        Task.FromResult(Collection(collection).Get(Normalize(key)) is { } json ? Parse(json) : null);

    public Task<IReadOnlyList<JsonObject>> ListAsync(string collection, CancellationToken cancellationToken) =>
        Task.FromResult(ParseAll(Collection(collection).All()));

    public Task<IReadOnlyList<JsonObject>> ListUnderAsync(string collection, string path,
        CancellationToken cancellationToken) =>
        Task.FromResult(ParseAll(Collection(collection).Under(NormalizePath(path))));

    public Task<IReadOnlyList<JsonObject>> FindAsync(string collection, string field, string value, string? under,
        CancellationToken cancellationToken) =>
        Task.FromResult(ParseAll(Collection(collection).Find(field, Normalize(value),
            under is null ? null : NormalizePath(under))));

    public async Task PutAsync(string collection, string key, JsonObject document, CancellationToken cancellationToken)
    {
        var json = document.ToJsonString();
        var normalized = Normalize(key);
        var target = Collection(collection);
        var indexValues = IndexValues(target, document);
        await writeLock.WaitAsync(cancellationToken);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "INSERT OR REPLACE INTO documents (collection, key, json) VALUES ($c, $k, $j)";
            command.Parameters.AddWithValue("$c", collection);
            command.Parameters.AddWithValue("$k", normalized);
            command.Parameters.AddWithValue("$j", json);
            await command.ExecuteNonQueryAsync(cancellationToken);
            target.Put(normalized, json, indexValues);
        }
        finally
        {
            writeLock.Release();
        }
    }

    public async Task<bool> DeleteAsync(string collection, string key, CancellationToken cancellationToken)
    {
        var normalized = Normalize(key);
        await writeLock.WaitAsync(cancellationToken);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM documents WHERE collection = $c AND key = $k";
            command.Parameters.AddWithValue("$c", collection);
            command.Parameters.AddWithValue("$k", normalized);
            await command.ExecuteNonQueryAsync(cancellationToken);
            return Collection(collection).Remove(normalized);
        }
        finally
        {
            writeLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await connection.DisposeAsync();
        writeLock.Dispose();
    }

    private DocumentCollection Collection(string name) =>
        collections.GetOrAdd(name,
            static (n, fields) => new DocumentCollection(fields.TryGetValue(n, out var indexed) ? indexed : []),
            indexedFields);

    private static string?[] IndexValues(DocumentCollection collection, JsonObject document) =>
        [.. collection.IndexedFields.Select(field => document[field] is JsonValue value && value.TryGetValue<string>(out var text) ? Normalize(text) : null)];

    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();

    private static IReadOnlyList<JsonObject> ParseAll(List<string> documents) => documents.ConvertAll(Parse);

    private static string Normalize(string key) => key.ToLowerInvariant();

    private static string NormalizePath(string path) => Normalize(path).TrimEnd('/');
}
