using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace EdgeKv.Emulator.Store;

/// <summary>
/// SQLite-backed document store: a table of (collection, key, json). All documents are cached in memory;
/// every write goes to the database first, so state survives a restart.
/// </summary>
internal sealed class SqliteDocumentStore : IDocumentStore, IAsyncDisposable
{
    private readonly SqliteConnection connection;
    private readonly SemaphoreSlim writeLock = new(1, 1);
    private readonly ConcurrentDictionary<(string Collection, string Key), string> cache = new();

    private SqliteDocumentStore(SqliteConnection connection) => this.connection = connection;

    public static async Task<SqliteDocumentStore> OpenAsync(string path, CancellationToken cancellationToken)
    {
        var builder = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false };
        var connection = new SqliteConnection(builder.ToString());
        await connection.OpenAsync(cancellationToken);
        var store = new SqliteDocumentStore(connection);
        await using (var create = connection.CreateCommand())
        {
            create.CommandText = """
                PRAGMA journal_mode=WAL;
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
                store.cache[(reader.GetString(0), reader.GetString(1))] = reader.GetString(2);
            }
        }

        return store;
    }

    public Task<JsonObject?> GetAsync(string collection, string key, CancellationToken cancellationToken) =>
        Task.FromResult(cache.TryGetValue((collection, Normalize(key)), out var json) ? JsonNode.Parse(json)!.AsObject() : null);

    public Task<IReadOnlyList<JsonObject>> ListAsync(string collection, CancellationToken cancellationToken)
    {
        IReadOnlyList<JsonObject> result = cache
            .Where(entry => entry.Key.Collection == collection)
            .OrderBy(entry => entry.Key.Key, StringComparer.Ordinal)
            .Select(entry => JsonNode.Parse(entry.Value)!.AsObject())
            .ToList();
        return Task.FromResult(result);
    }

    public async Task PutAsync(string collection, string key, JsonObject document, CancellationToken cancellationToken)
    {
        var json = document.ToJsonString();
        var normalized = Normalize(key);
        await writeLock.WaitAsync(cancellationToken);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "INSERT OR REPLACE INTO documents (collection, key, json) VALUES ($c, $k, $j)";
            command.Parameters.AddWithValue("$c", collection);
            command.Parameters.AddWithValue("$k", normalized);
            command.Parameters.AddWithValue("$j", json);
            await command.ExecuteNonQueryAsync(cancellationToken);
            cache[(collection, normalized)] = json;
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
            return cache.TryRemove((collection, normalized), out _);
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

    private static string Normalize(string key) => key.ToLowerInvariant();
}
