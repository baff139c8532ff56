using System.Text.Json.Nodes;
using EdgeKv.Emulator.Hosting;
using EdgeKv.Emulator.Store;

namespace EdgeKv.Emulator.Monitoring;

/// <summary>
/// Blobs of the emulated storage accounts (only what the emulator writes itself, such as audit logs), one document per
/// blob keyed by <c>{account}/{container}/{name}</c>: <c>{account, container, name, content, created, lastModified, etag}</c>.
/// </summary>
internal sealed class BlobStore(IDocumentStore store, EmulatorClock clock) : IDisposable
{
    private readonly SemaphoreSlim appendLock = new(1, 1);

    public void Dispose() => appendLock.Dispose();

    public async Task AppendAsync(string account, string container, string name, string text, CancellationToken cancellationToken)
    {
        await appendLock.WaitAsync(cancellationToken);
        try
        {
            await AppendLockedAsync(account, container, name, text, cancellationToken);
        }
        finally
        {
            appendLock.Release();
        }
    }

    private async Task AppendLockedAsync(string account, string container, string name, string text, CancellationToken cancellationToken)
    {
        var key = Key(account, container, name);
        var now = clock.GetUtcNow().ToString("O");
        var blob = await store.GetAsync(Collections.Blobs, key, cancellationToken) ?? new JsonObject
        {
            ["account"] = account.ToLowerInvariant(), ["container"] = container, ["name"] = name, ["content"] = string.Empty, ["created"] = now,
        };
        blob["content"] = (string)blob["content"]! + text;
        blob["lastModified"] = now;
        blob["etag"] = $"\"0x{Guid.NewGuid():N}\""[..20] + "\"";
        await store.PutAsync(Collections.Blobs, key, blob, cancellationToken);
    }

    public Task<JsonObject?> GetAsync(string account, string container, string name, CancellationToken cancellationToken) =>
        store.GetAsync(Collections.Blobs, Key(account, container, name), cancellationToken);

    public async Task<IReadOnlyList<JsonObject>> ListAsync(string account, string container, string prefix, CancellationToken cancellationToken) =>
        (await store.ListUnderAsync(Collections.Blobs, $"{account}/{container}", cancellationToken))
            .Where(b => string.Equals((string?)b["account"], account, StringComparison.OrdinalIgnoreCase) &&
                string.Equals((string?)b["container"], container, StringComparison.Ordinal) &&
                ((string)b["name"]!).StartsWith(prefix, StringComparison.Ordinal))
            .OrderBy(b => (string)b["name"]!, StringComparer.Ordinal)
            .ToList();

    public async Task<bool> ContainerExistsAsync(string account, string container, CancellationToken cancellationToken) =>
        (await store.ListUnderAsync(Collections.Blobs, $"{account}/{container}", cancellationToken)).Any(b =>
            string.Equals((string?)b["account"], account, StringComparison.OrdinalIgnoreCase) && string.Equals((string?)b["container"], container, StringComparison.Ordinal));

    /// <summary>Removes every blob of an account (the account was deleted).</summary>
    public async Task DeleteAccountAsync(string account, CancellationToken cancellationToken)
    {
        foreach (var blob in await store.ListUnderAsync(Collections.Blobs, account, cancellationToken))
        {
            if (string.Equals((string?)blob["account"], account, StringComparison.OrdinalIgnoreCase))
            {
                await store.DeleteAsync(Collections.Blobs, Key(account, (string)blob["container"]!, (string)blob["name"]!), cancellationToken);
            }
        }
    }

    private static string Key(string account, string container, string name) => $"{account}/{container}/{name}";
}
